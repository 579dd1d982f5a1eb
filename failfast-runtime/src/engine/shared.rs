//! A `Send` iterator that every worker pulls from (see [`Shared`]).

use super::ending::{drop_after, drop_each, resume_first, Payload};
use super::source::{pull, Looks, Source, FEW};
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, Ordering};
use crate::wake::Signal;
use crossbeam_utils::CachePadded;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A `Send` iterator that every worker pulls from.
///
/// Taken in batches under the lock, a lazy input costs each batch a trip of the lock's cache
/// line between cores (about 100 ns here), more than 64 tiny items take to run; the contract's
/// bound of 64 items per worker keeps batches from growing past it. So when batches cost more
/// to take than to run, workers step back (see [`Source::step_back`]) until one is left, and
/// that one holds the input alone: it pulls one item at a time and runs it, like the
/// sequential loop, with no lock, no batch and no clock per item, until another worker joins.
/// A worker that joins waits for the item the holder is running (the holder looks at
/// [`takers`](Shared::takers) before every item), and meanwhile helps the group's other runs,
/// if any.
///
/// # Who waits for whom
/// - The iterator is only ever touched under `input`'s lock: that alone keeps it to one
///   thread, and orders what each thread did with it before the next. `takers` and
///   `held_alone` are hints that decide who waits, nothing more, so `Relaxed` serves for
///   `takers`; `held_alone` is `Release`/`Acquire` like `done` beside it.
/// - The holder takes the lock with `try_lock` while it counts itself the only taker, sets
///   `held_alone`, and looks at `takers` before every item. It lets go (iterator back, `done`
///   if the input ended, `held_alone` cleared, lock released) when another taker is counted,
///   the input ends, its own iteration ends the run, or an enclosing loop is cancelled.
/// - A worker that joins counts itself in `takers` first, so the holder's next look sees it.
///   Its claim returns nothing while `held_alone` is set (it does not wait on the lock for a
///   holder, which may be this very thread, further up its stack, in a recursion; a claim
///   that takes the lock just as a holder does waits for the holder's next look). It waits
///   on the group's signal, which the holder notifies when it lets go, and leaves the visit
///   earlier if another run of the group has items to take (the holder may be in a long
///   item, a recursion's); the group brings it back once that work is done.
/// - A worker that stepped back is not counted. It sleeps on the group's signal for its pause,
///   woken early when the run ends (the run's ending and every visit's end notify), then reads
///   `held_items` to judge the holder's pace, and joins or pauses again. Every wait has a
///   deadline or a notification that ends it, so none outlives the run.
pub(crate) struct Shared<'s, I> {
    /// On a line of its own: claims write the lock and the iterator's state, while waiting
    /// workers read the flags below.
    /// `None` only while a holder runs it alone, out of the lock's memory (see
    /// [`Source::alone`]).
    input: CachePadded<Mutex<Option<I>>>,
    /// The input is exhausted, panicked, or the run was cancelled.
    done: AtomicBool,
    /// A worker holds `input` alone ([`Source::alone`]).
    held_alone: AtomicBool,
    /// Workers taking from this input, less those stepped back. Read by the holder before
    /// every item, written only when a worker joins, leaves or steps back: a line of its own,
    /// which stays in the holder's cache while nobody writes it.
    takers: CachePadded<AtomicUsize>,
    /// Items run alone, ever: stored by the holder between stretches, read by a worker that
    /// stepped back to see whether to join again.
    held_items: CachePadded<AtomicUsize>,
    max_batch: usize,
    /// The group's: a holder that lets go wakes the workers waiting for it.
    signal: &'s Signal,
}

impl<'s, I: Iterator + Send> Shared<'s, I> {
    pub(crate) fn new(input: I, max_batch: usize, signal: &'s Signal) -> Self {
        Shared {
            input: CachePadded::new(Mutex::new(Some(input))),
            done: AtomicBool::new(false),
            held_alone: AtomicBool::new(false),
            takers: CachePadded::new(AtomicUsize::new(0)),
            held_items: CachePadded::new(AtomicUsize::new(0)),
            max_batch,
            signal,
        }
    }
}

impl<I: Iterator + Send> Source for Shared<'_, I> {
    type Item = I::Item;
    type Claimed<'a>
        = Leftover<'a, I::Item>
    where
        Self: 'a;

    const HOLDS: bool = true;

    fn max_batch(&self) -> usize {
        self.max_batch
    }

    fn has_work(&self) -> bool {
        !self.done.load(Ordering::Acquire)
    }

    fn claim<'a>(
        &'a self,
        want: usize,
        buffer: &'a mut Vec<I::Item>,
    ) -> Result<Option<Self::Claimed<'a>>, Payload> {
        // Not waiting for a holder, which may be this thread: a loop reached again inside an
        // iteration that the holder runs helps the outer run's claims.
        if self.done.load(Ordering::Acquire) || self.held_alone.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut input = lock(&self.input);
        if self.done.load(Ordering::Acquire) {
            return Ok(None);
        }
        // `None` after a holder's stretch unwound with an input that has no drop glue (see
        // `Held`), which ended the run (`done`).
        let Some(iter) = input.as_mut() else {
            return Ok(None);
        };
        match pull(iter, buffer, want, || false) {
            Ok(exhausted) => {
                if exhausted {
                    self.done.store(true, Ordering::Release);
                }
            }
            Err(payload) => {
                // An iterator that panicked is not asked again.
                self.done.store(true, Ordering::Release);
                drop(input);
                // The items pulled before it were never started: dropped after the panic,
                // which stays the run's first.
                return Err(drop_after(payload, buffer.drain(..)));
            }
        }
        drop(input);
        Ok((!buffer.is_empty()).then(|| Leftover(buffer.drain(..))))
    }

    fn close(&self) {
        self.done.store(true, Ordering::Release);
    }

    fn join(&self) {
        self.takers.fetch_add(1, Ordering::Relaxed);
    }

    fn leave(&self) {
        self.takers.fetch_sub(1, Ordering::Relaxed);
    }

    fn step_back(&self) -> bool {
        if self.takers.fetch_sub(1, Ordering::Relaxed) > 1 {
            return true;
        }
        // The last taker stays: someone must go on taking.
        self.takers.fetch_add(1, Ordering::Relaxed);
        false
    }

    fn held_alone(&self) -> bool {
        self.held_alone.load(Ordering::Acquire)
    }

    fn held_items(&self) -> Option<usize> {
        let items = self.held_items.load(Ordering::Relaxed);
        self.held_alone().then_some(items)
    }

    fn alone(
        &self,
        looks: Looks<'_, impl Fn() -> bool>,
        mut each: impl FnMut(I::Item) -> bool,
    ) -> Result<bool, Payload> {
        // `takers` is a hint both here and below: the lock alone keeps the input to one
        // thread, and a taker that joins unseen finds the input held and waits for the
        // holder's next check.
        if self.takers.load(Ordering::Relaxed) != 1 {
            return Ok(false);
        }
        let Ok(mut input) = self.input.try_lock() else {
            return Ok(false);
        };
        if self.done.load(Ordering::Acquire) {
            return Ok(true);
        }
        // `None` after a holder's stretch unwound with an input that has no drop glue (see
        // `Held`), which ended the run (`done`).
        let Some(iter) = input.take() else {
            return Ok(true);
        };
        self.held_alone.store(true, Ordering::Release);
        // Moved out of the lock and into a local of the closure, where nothing else knows its
        // address: the compiler keeps its state in registers instead of storing it back on
        // every item. One `catch_unwind` for the whole stretch. A panic in `next()` or in an iteration
        // ends the run; the input goes back into the lock (see `Held`), to be dropped with
        // the source, where a panicking `Drop` of an item it owns is caught.
        // Only the holder writes `held_items`: plain stores of a local count, no read-modify-
        // write on the way.
        let mut held_items = self.held_items.load(Ordering::Relaxed);
        let slot = &mut *input;
        let ran = catch_unwind(AssertUnwindSafe(move || {
            let mut held = Held {
                iter: Some(iter),
                slot,
            };
            let Some(iter) = held.iter.as_mut() else {
                unreachable!("just put there");
            };
            let ended = match looks {
                // Inside another loop, or with a stop token: the cancellation is read before
                // every item (one load, as a claim's loop reads it), beside the takers. (Storing
                // the count before every item too cost a run with a stop token three quarters
                // more instructions per item than one without: it is stored once a stretch.)
                Looks::EachItem(go_on) => 'held: loop {
                    held_items += STRETCH;
                    self.held_items.store(held_items, Ordering::Relaxed);
                    for _ in 0..STRETCH / BLOCK {
                        for _ in 0..BLOCK {
                            if self.takers.load(Ordering::Relaxed) != 1 || !go_on() {
                                break 'held false;
                            }
                            match iter.next() {
                                Some(item) => {
                                    if !each(item) {
                                        break 'held false;
                                    }
                                }
                                None => break 'held true,
                            }
                        }
                    }
                },
                // As above, with the cancellation read once before every `FEW` items.
                Looks::EveryFew(go_on, recursed) => 'held: loop {
                    if recursed.load(Ordering::Relaxed) {
                        break false;
                    }
                    held_items += STRETCH;
                    self.held_items.store(held_items, Ordering::Relaxed);
                    for _ in 0..STRETCH / FEW {
                        if !go_on() {
                            break 'held false;
                        }
                        for _ in 0..FEW {
                            if self.takers.load(Ordering::Relaxed) != 1 {
                                break 'held false;
                            }
                            match iter.next() {
                                Some(item) => {
                                    if !each(item) {
                                        break 'held false;
                                    }
                                }
                                None => break 'held true,
                            }
                        }
                    }
                },
                // Nothing to read but the takers: counted loops of `BLOCK` items, which the
                // compiler unrolls like the sequential loop.
                Looks::Never => 'held: loop {
                    held_items += STRETCH;
                    self.held_items.store(held_items, Ordering::Relaxed);
                    for _ in 0..STRETCH / BLOCK {
                        for _ in 0..BLOCK {
                            if self.takers.load(Ordering::Relaxed) != 1 {
                                break 'held false;
                            }
                            match iter.next() {
                                Some(item) => {
                                    if !each(item) {
                                        break 'held false;
                                    }
                                }
                                None => break 'held true,
                            }
                        }
                    }
                },
            };
            held.put_back();
            ended
        }));
        if *ran.as_ref().unwrap_or(&true) {
            self.done.store(true, Ordering::Release);
        }
        self.held_alone.store(false, Ordering::Release);
        drop(input);
        // A worker that joined waits for this (`held_alone` cleared, or `done`) on the
        // group's signal; without a notification it slept its whole wait out, and with the
        // timer's slack a 50 us wait lasted about 125.
        self.signal.notify();
        ran
    }
}

/// The input of a worker holding it alone, out of its lock's slot for the stretch, and put
/// back there when the stretch ends, also when it unwinds: dropped while a panic of `next()`
/// or of an iteration unwinds, an input that still owns an item whose `Drop` panics would
/// abort the process. Back in the slot, it is dropped with the source after the run, where
/// that panic is caught and loses to the first (`Run::into_outcome`).
struct Held<'a, I> {
    /// `Some` until [`put_back`](Held::put_back).
    iter: Option<I>,
    slot: &'a mut Option<I>,
}

impl<I> Held<'_, I> {
    /// The stretch ended without unwinding.
    fn put_back(mut self) {
        *self.slot = self.iter.take();
    }
}

impl<I> Drop for Held<'_, I> {
    fn drop(&mut self) {
        // Unwinding, unless `put_back` emptied `iter`. An input without drop glue cannot
        // panic when dropped: it is left behind, so that the stretch needs no landing pad
        // that keeps its state for this (the sequential loop's speed, `STRETCH`).
        if std::mem::needs_drop::<I>() {
            if let Some(iter) = self.iter.take() {
                *self.slot = Some(iter);
            }
        }
    }
}

/// Items a worker claimed from a [`Shared`] input; those it did not start are dropped one by
/// one (see [`drop_each`]).
pub(crate) struct Leftover<'a, T>(std::vec::Drain<'a, T>);

impl<T> Iterator for Leftover<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.0.next()
    }
}

impl<T> Drop for Leftover<'_, T> {
    fn drop(&mut self) {
        resume_first(drop_each(self.0.by_ref()));
    }
}

/// Items a holder runs between two stores of [`Shared::held_items`] (its pace, for the workers
/// that stepped back) and two reads of the recursion's flag. The takers it reads before every
/// item: the items were fast when holding began, and if they turn slow, a worker that joins
/// must not wait behind a stretch of them (a new user's probe: 100 ms items ran alone for 32
/// items). On `cpu_tiny`'s lazy input (`cargo bench`), reading them before every item instead
/// of once a stretch measured 0.54 ns/item against 0.52 to 0.55 in three runs in turns. Under
/// loom, where models have a handful of items, a stretch is 2 items, so that a worker joining
/// in the middle of a hold is explored.
const STRETCH: usize = if cfg!(loom) { 2 } else { 32 };

/// A stretch runs as counted loops of this many items: the compiler unrolls a loop of 8 (of
/// 32 it does not, which measured 0.50 ns/item).
const BLOCK: usize = if cfg!(loom) { 1 } else { 8 };

#[cfg(all(test, not(loom)))]
mod tests {
    use super::super::batch::MAX_BATCH;
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// A holder looks at the other takers before every item: one that joins while an item
    /// runs (slow, or it would not have joined) gets the input after that item, not after
    /// the rest of a stretch.
    #[test]
    fn a_holder_lets_go_before_the_item_after_a_taker_joins() {
        let signal = Signal::new();
        let recursed = AtomicBool::new(false);
        let looks: [Looks<'_, &dyn Fn() -> bool>; 3] = [
            Looks::Never,
            Looks::EachItem(&|| true),
            Looks::EveryFew(&|| true, &recursed),
        ];
        for looks in looks {
            let source = Shared::new(0..1_000, MAX_BATCH, &signal);
            source.join();
            let mut ran = Vec::new();
            let ended = source.alone(looks, |item| {
                ran.push(item);
                if item == 3 {
                    // Another worker joins while this item runs.
                    source.join();
                }
                true
            });
            assert_eq!(ended.ok(), Some(false), "the input did not end");
            assert_eq!(ran, [0, 1, 2, 3], "items run alone after a taker joined");
            assert!(!source.held_alone());
            // The rest is there for the takers to claim.
            let mut buffer = Vec::new();
            let claimed: Vec<u32> = source.claim(2, &mut buffer).unwrap().unwrap().collect();
            assert_eq!(claimed, [4, 5]);
        }
    }
}
