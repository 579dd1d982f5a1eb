//! Inputs split by index: ranges, slices (`&[T]`, `&mut [T]`, their `iter()`/`iter_mut()`) and
//! owned `Vec`s and arrays. Workers claim index ranges with one atomic add; no item passes
//! through a queue, and an item is only moved out of its slot when it starts.

use super::batch::{index_chunk, MAX_INDEX_CHUNK};
use super::ending::{keep_first, resume_first, Payload};
use super::source::Source;
use crate::sync::{AtomicBool, AtomicUsize, Ordering, Padded};
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// An input that can be split by index, with the items the sequential `for` loop would see.
///
/// Implemented for integer ranges, `&[T]`, `&Vec<T>`, `&[T; N]`, `slice::Iter`, their `mut`
/// counterparts, `Vec<T>`, `vec::IntoIter<T>` and `[T; N]`. `#[fail_fast]` loops over these
/// without handing any item over: see the crate docs.
pub trait IntoIndexed {
    /// What the sequential loop's `for` would bind.
    type Item;
    #[doc(hidden)]
    type Items: Items<Item = Self::Item>;
    #[doc(hidden)]
    fn into_items(self) -> Self::Items;
}

/// Items reachable by index. Not nameable outside this crate, so not implementable either.
// Reachable, as the bound of `IntoIndexed::Items`; rustc 1.85's lint does not see that.
#[allow(unreachable_pub)]
pub trait Items: Sync {
    type Item;
    fn len(&self) -> usize;
    /// # Safety
    /// `index < self.len()`, and no index is taken or discarded twice.
    unsafe fn take(&self, index: usize) -> Self::Item;
    /// Drops the items in `range`, which are never taken.
    ///
    /// # Safety
    /// As for `take`, for every index in `range`.
    unsafe fn discard(&self, _range: Range<usize>) {}
}

/// An integer range, as its start and length.
pub struct RangeItems<T> {
    start: T,
    len: usize,
}

// A range longer than this is cut to it, so that claims that race past the end cannot
// overflow the index: 2^63 items are never reached in practice.
const MAX_LEN: usize = usize::MAX / 2;

/// The integer types whose ranges are split by index. One generic impl per range type (not
/// one per integer) keeps `for i in 0..n` inferring `i`'s type from the body, as the
/// sequential loop does.
pub trait RangeInt: Copy + Send + Sync + PartialOrd {
    /// `end - start`, exactly.
    fn distance(start: Self, end: Self) -> i128;
    /// `start + index`, for an `index` below the range's length.
    fn offset(start: Self, index: usize) -> Self;
}

macro_rules! range_ints {
    ($($t:ty),*) => {$(
        impl RangeInt for $t {
            fn distance(start: $t, end: $t) -> i128 {
                end as i128 - start as i128
            }
            fn offset(start: $t, index: usize) -> $t {
                // `index` is below the range's length, so the sum stays within the range;
                // `as` wraps the index the same way the sum does.
                start.wrapping_add(index as $t)
            }
        }
    )*};
}
range_ints!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

fn range_len(distance: i128) -> usize {
    usize::try_from(distance.max(0))
        .unwrap_or(MAX_LEN)
        .min(MAX_LEN)
}

impl<T: RangeInt> Items for RangeItems<T> {
    type Item = T;
    fn len(&self) -> usize {
        self.len
    }
    unsafe fn take(&self, index: usize) -> T {
        T::offset(self.start, index)
    }
}

impl<T: RangeInt> IntoIndexed for Range<T> {
    type Item = T;
    type Items = RangeItems<T>;
    fn into_items(self) -> RangeItems<T> {
        RangeItems {
            start: self.start,
            len: range_len(T::distance(self.start, self.end)),
        }
    }
}

impl<T: RangeInt> IntoIndexed for std::ops::RangeInclusive<T> {
    type Item = T;
    type Items = RangeItems<T>;
    fn into_items(self) -> RangeItems<T> {
        let len = if self.is_empty() {
            0
        } else {
            range_len(T::distance(*self.start(), *self.end()) + 1)
        };
        RangeItems {
            start: *self.start(),
            len,
        }
    }
}

/// `&[T]`: each item is `&T`.
pub struct SliceItems<'a, T>(&'a [T]);

impl<'a, T: Sync> Items for SliceItems<'a, T> {
    type Item = &'a T;
    fn len(&self) -> usize {
        self.0.len()
    }
    unsafe fn take(&self, index: usize) -> &'a T {
        // SAFETY: `index < len`, by the caller's contract.
        unsafe { self.0.get_unchecked(index) }
    }
}

impl<'a, T: Sync> IntoIndexed for &'a [T] {
    type Item = &'a T;
    type Items = SliceItems<'a, T>;
    fn into_items(self) -> SliceItems<'a, T> {
        SliceItems(self)
    }
}

impl<'a, T: Sync> IntoIndexed for &'a Vec<T> {
    type Item = &'a T;
    type Items = SliceItems<'a, T>;
    fn into_items(self) -> SliceItems<'a, T> {
        SliceItems(self)
    }
}

impl<'a, T: Sync, const N: usize> IntoIndexed for &'a [T; N] {
    type Item = &'a T;
    type Items = SliceItems<'a, T>;
    fn into_items(self) -> SliceItems<'a, T> {
        SliceItems(self)
    }
}

impl<'a, T: Sync> IntoIndexed for std::slice::Iter<'a, T> {
    type Item = &'a T;
    type Items = SliceItems<'a, T>;
    fn into_items(self) -> SliceItems<'a, T> {
        SliceItems(self.as_slice())
    }
}

/// `&mut [T]`: each item is `&mut T`, handed out once.
pub struct SliceMutItems<'a, T> {
    start: *mut T,
    len: usize,
    slice: PhantomData<&'a mut [T]>,
}

// SAFETY: each `&mut T` is handed out once (`take`'s contract), to one thread at a time, which
// `&mut [T]: Send` allows for `T: Send`.
unsafe impl<T: Send> Sync for SliceMutItems<'_, T> {}

impl<'a, T: Send> Items for SliceMutItems<'a, T> {
    type Item = &'a mut T;
    fn len(&self) -> usize {
        self.len
    }
    unsafe fn take(&self, index: usize) -> &'a mut T {
        // SAFETY: `index < len`, and no index is taken twice, so this `&mut` is the only one
        // to its item; the slice is borrowed mutably for `'a`.
        unsafe { &mut *self.start.add(index) }
    }
}

impl<'a, T: Send> IntoIndexed for &'a mut [T] {
    type Item = &'a mut T;
    type Items = SliceMutItems<'a, T>;
    fn into_items(self) -> SliceMutItems<'a, T> {
        SliceMutItems {
            start: self.as_mut_ptr(),
            len: self.len(),
            slice: PhantomData,
        }
    }
}

impl<'a, T: Send> IntoIndexed for &'a mut Vec<T> {
    type Item = &'a mut T;
    type Items = SliceMutItems<'a, T>;
    fn into_items(self) -> SliceMutItems<'a, T> {
        self.as_mut_slice().into_items()
    }
}

impl<'a, T: Send, const N: usize> IntoIndexed for &'a mut [T; N] {
    type Item = &'a mut T;
    type Items = SliceMutItems<'a, T>;
    fn into_items(self) -> SliceMutItems<'a, T> {
        self.as_mut_slice().into_items()
    }
}

impl<'a, T: Send> IntoIndexed for std::slice::IterMut<'a, T> {
    type Item = &'a mut T;
    type Items = SliceMutItems<'a, T>;
    fn into_items(self) -> SliceMutItems<'a, T> {
        self.into_slice().into_items()
    }
}

/// An owned `Vec`: each item is moved out of its slot when it starts; the rest are dropped in
/// place.
pub struct OwnedItems<T> {
    start: *mut T,
    len: usize,
    capacity: usize,
    owns: PhantomData<T>,
}

// SAFETY: each item is moved out once (`take`'s contract), to one thread; `T: Send` allows it.
unsafe impl<T: Send> Sync for OwnedItems<T> {}

impl<T: Send> Items for OwnedItems<T> {
    type Item = T;
    fn len(&self) -> usize {
        self.len
    }
    unsafe fn take(&self, index: usize) -> T {
        // SAFETY: `index < len` is an initialized item, and it is never read again.
        unsafe { self.start.add(index).read() }
    }
    unsafe fn discard(&self, range: Range<usize>) {
        if !std::mem::needs_drop::<T>() {
            return;
        }
        // One by one, not as a slice: a slice's drop goes on after a panicking item, and a
        // second panic would abort the process. The first panic resumes after the last item.
        let mut first = None;
        for index in range {
            // SAFETY: the items in `range` are initialized, and never read again; each is
            // dropped once, also when the one before it panicked.
            let dropped = catch_unwind(AssertUnwindSafe(|| unsafe {
                std::ptr::drop_in_place(self.start.add(index));
            }));
            if let Err(payload) = dropped {
                keep_first(&mut first, payload);
            }
        }
        resume_first(first);
    }
}

impl<T> Drop for OwnedItems<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer and capacity come from a `Vec` that gave them up; every item was
        // taken or discarded, so only the allocation is left to free.
        drop(unsafe { Vec::from_raw_parts(self.start, 0, self.capacity) });
    }
}

impl<T: Send> IntoIndexed for Vec<T> {
    type Item = T;
    type Items = OwnedItems<T>;
    fn into_items(self) -> OwnedItems<T> {
        let mut vec = ManuallyDrop::new(self);
        OwnedItems {
            start: vec.as_mut_ptr(),
            len: vec.len(),
            capacity: vec.capacity(),
            owns: PhantomData,
        }
    }
}

impl<T: Send> IntoIndexed for std::vec::IntoIter<T> {
    type Item = T;
    type Items = OwnedItems<T>;
    fn into_items(self) -> OwnedItems<T> {
        // Collecting a `vec::IntoIter` reuses its allocation.
        self.collect::<Vec<T>>().into_items()
    }
}

impl<T: Send, const N: usize> IntoIndexed for [T; N] {
    type Item = T;
    type Items = OwnedItems<T>;
    fn into_items(self) -> OwnedItems<T> {
        Vec::from(self).into_items()
    }
}

/// The [`Source`] of an input split by index.
pub(crate) struct Indexed<X: Items> {
    items: X,
    len: usize,
    /// The next index to claim; claims may carry it past `len`.
    next: Padded<AtomicUsize>,
    closed: AtomicBool,
    workers: usize,
}

impl<X: Items> Indexed<X> {
    pub(crate) fn new(items: X, workers: usize) -> Self {
        Indexed {
            len: items.len(),
            items,
            next: Padded::new(AtomicUsize::new(0)),
            closed: AtomicBool::new(false),
            workers,
        }
    }
}

impl<X: Items> Source for Indexed<X> {
    type Item = X::Item;
    type Hand = ();
    type Claimed<'a>
        = IndexClaim<'a, X>
    where
        X: 'a;

    const CLAIM_IN_REGISTERS: bool = true;

    fn max_batch(&self) -> usize {
        // Also with one worker: claiming indices takes nothing from the input, and one
        // thread claims them in order. No more than `index_chunk` ever gives: a run of few
        // items (a recursion's level) then claims one at a time, and its visits read no clock
        // to size batches that cannot grow.
        MAX_INDEX_CHUNK
            .min(self.len / self.workers.saturating_mul(2))
            .max(1)
    }

    fn has_work(&self) -> bool {
        !self.closed.load(Ordering::Acquire) && self.next.load(Ordering::Relaxed) < self.len
    }

    fn claim<'a>(
        &'a self,
        want: usize,
        _hand: &'a mut (),
        _cancelled: impl Fn() -> bool,
    ) -> Result<Option<IndexClaim<'a, X>>, Payload> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(None);
        }
        let at = self.next.load(Ordering::Relaxed);
        if at >= self.len {
            return Ok(None);
        }
        let chunk = index_chunk(want, self.len - at, self.workers);
        let start = self.next.fetch_add(chunk, Ordering::Relaxed);
        if start >= self.len {
            return Ok(None);
        }
        Ok(Some(IndexClaim {
            items: &self.items,
            at: start,
            end: (start + chunk).min(self.len),
        }))
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }
}

impl<X: Items> Drop for Indexed<X> {
    fn drop(&mut self) {
        // Never claimed: dropped in place (a no-op but for owned items).
        let from = self.next.load(Ordering::Relaxed).min(self.len);
        // SAFETY: indices from `next` on were never claimed, so never taken nor discarded.
        unsafe { self.items.discard(from..self.len) };
    }
}

/// Indices one worker claimed: `at..end`.
pub(crate) struct IndexClaim<'a, X: Items> {
    items: &'a X,
    at: usize,
    end: usize,
}

impl<X: Items> Iterator for IndexClaim<'_, X> {
    type Item = X::Item;

    #[inline]
    fn next(&mut self) -> Option<X::Item> {
        if self.at == self.end {
            return None;
        }
        let index = self.at;
        self.at += 1;
        // SAFETY: `index < len` (claims are cut at `len`), and the claim that covers it is
        // this one alone; `at` moves past it before anything else can see it.
        Some(unsafe { self.items.take(index) })
    }
}

impl<X: Items> Drop for IndexClaim<'_, X> {
    fn drop(&mut self) {
        let rest = self.at..self.end;
        self.at = self.end;
        // SAFETY: these indices are this claim's, and were not taken.
        unsafe { self.items.discard(rest) };
    }
}

/// The `unsafe` of this file, run by Miri in CI: items moved out of an owned `Vec` or lent
/// from a `&mut [T]` by index, from several threads, with a failure on the way.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::engine::{self, Body, LoopSite, Site};
    use crate::{never_stopped, Settings};

    /// The indexed path, with nothing that stops it from outside.
    fn drive_indexed<I: IntoIndexed<Item: Send>, B: Body<I::Item>>(
        input: I,
        workers: usize,
        site: Site,
        body: &B,
    ) -> B::Outcome {
        never_stopped(engine::drive_indexed(
            input,
            &Settings::with_workers(workers),
            site,
            body,
        ))
    }
    use crate::ForEach;
    use std::sync::atomic::AtomicUsize;

    static SITE: LoopSite = LoopSite::new();

    /// An item that counts its drops (Miri runs with leaks ignored: idle pool threads).
    struct Counted<'a>(usize, &'a AtomicUsize);

    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.1.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn an_owned_vec_moves_out_or_drops_each_item_once() {
        for workers in [1, 3] {
            let dropped = AtomicUsize::new(0);
            let items: Vec<Counted<'_>> = (0..40).map(|i| Counted(i, &dropped)).collect();
            let result = drive_indexed(
                items,
                workers,
                Site::Loop(&SITE),
                &ForEach(&|item: Counted<'_>| if item.0 == 17 { Err(item.0) } else { Ok(()) }),
            );
            assert_eq!(result, Err(17));
            // Every item, run or not, dropped exactly once (Miri also reports a double drop
            // as a use after free of the allocation).
            assert_eq!(dropped.into_inner(), 40);
        }
    }

    #[test]
    fn a_mutable_slice_lends_each_item_once() {
        let mut items = [0u32; 33];
        let result: Result<(), ()> = drive_indexed(
            &mut items[..],
            4,
            Site::Loop(&SITE),
            &ForEach(&|n: &mut u32| {
                *n += 1;
                Ok(())
            }),
        );
        assert_eq!(result, Ok(()));
        assert!(items.iter().all(|&n| n == 1), "{items:?}");
    }

    #[test]
    fn ranges_cover_their_integers_exactly() {
        let items = (-3i8..=3).into_items();
        assert_eq!(items.len(), 7);
        // SAFETY: in bounds, each index once.
        let all: Vec<i8> = (0..7).map(|i| unsafe { items.take(i) }).collect();
        assert_eq!(all, [-3, -2, -1, 0, 1, 2, 3]);
        assert_eq!((5u8..5).into_items().len(), 0);
        assert_eq!((i64::MIN..i64::MAX).into_items().len(), MAX_LEN);
        #[allow(clippy::reversed_empty_ranges)]
        let empty = (3u32..=1).into_items();
        assert_eq!(empty.len(), 0);
    }
}
