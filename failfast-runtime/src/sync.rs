//! The synchronisation primitives the engine is built on, swapped for loom's under `--cfg loom`
//! so the cancellation protocol can be model-checked.

#[cfg(loom)]
pub(crate) use loom::{
    sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering},
    sync::{Arc, Condvar, Mutex, MutexGuard},
};
#[cfg(not(loom))]
pub(crate) use std::{
    sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering},
    sync::{Arc, Condvar, Mutex, MutexGuard},
};

use std::mem::MaybeUninit;

/// Locks `mutex`, ignoring poisoning: every critical section in the engine leaves its data
/// consistent before anything that can panic runs, and panics are re-raised on the caller
/// anyway.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Waits on `condvar`, ignoring poisoning like [`lock`].
pub(crate) fn wait<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    condvar
        .wait(guard)
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A value on cache lines of its own, like crossbeam's `CachePadded`, but by padding alone:
/// it asks for no alignment. `CachePadded` is aligned to 128 bytes, and a boxed value of such
/// a type takes the allocator's aligned path (glibc's `memalign`), which costs a recursion
/// that boxes a run per level more than the padding saves: in an empty-leaf walk on 2 cores,
/// the 128-byte alignment of one field of a nested run made the walk a tenth slower.
///
/// A 128-byte block (two lines, which x86's adjacent-line prefetcher fetches together) on
/// each side: no other value shares a block with this one, wherever it lands.
///
/// The padding is left uninitialised: nothing reads it, and a run with four such fields would
/// otherwise write a kilobyte of zeroes as it starts.
#[repr(C)]
pub(crate) struct Padded<T> {
    _before: [MaybeUninit<u8>; PAD],
    value: T,
    _after: [MaybeUninit<u8>; PAD],
}

const PAD: usize = 128;

impl<T> Padded<T> {
    pub(crate) const fn new(value: T) -> Self {
        Padded {
            _before: [const { MaybeUninit::uninit() }; PAD],
            value,
            _after: [const { MaybeUninit::uninit() }; PAD],
        }
    }
}

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
