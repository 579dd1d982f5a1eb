//! Where a run's items come from, and how a worker takes them.
//!
//! - [`Shared`]: a `Send` iterator, pulled under a lock by whichever worker is free, in batches
//!   while iterations are fast.
//! - [`Indexed`](super::indexed::Indexed): a range, slice or `Vec`, split by claiming index
//!   ranges with one atomic add.
//! - [`Fed`]: an iterator that is not `Send`: only the run's owner pulls it, into a queue that
//!   the workers take from, at most [`Ahead::limit`] items ahead of the running iterations.

use super::batch::{next_batch, Ahead, Reservation};
use super::ending::{drop_after, drop_each, resume_first, Payload};
use super::group::Group;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::wake::Signal;
use crossbeam_utils::CachePadded;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// A run's items, as its workers take them.
pub(crate) trait Source: Sync {
    type Item;
    /// Items claimed by one worker, yielded as each is about to start. Dropping it drops the
    /// items it did not yield: taken, never started.
    type Claimed<'a>: Iterator<Item = Self::Item>
    where
        Self: 'a;

    /// Whether a claim's items run from a copy of the claim in the running frame, in
    /// registers, rather than from its slot in the visit's frame: a body whose effects the
    /// compiler cannot see (any call) would otherwise make it store and reload the claim's
    /// position at every item. Worth it where claims carry the fast items: an indexed input's,
    /// when its claims may hold more than one item (the copy is in a frame of its own then,
    /// which a recursion's levels, claiming one item at a time, never make). The others' fast
    /// items are run by a holder ([`alone`](Source::alone)), and their claims' items are
    /// slow: the copy would only cost stack, once per level of a recursion.
    #[cfg_attr(debug_assertions, allow(dead_code))]
    const CLAIM_IN_REGISTERS: bool = false;

    /// Whether a worker may hold the input alone ([`alone`](Source::alone)): only a shared
    /// lazy input's. The others' visits never try, which would cost a round before every
    /// claim once batches stop growing.
    const HOLDS: bool = false;

    /// The largest batch a worker may ask for.
    fn max_batch(&self) -> usize;

    /// Whether items may be left to claim: a hint (a claim may still find none), but once it
    /// is `false` it stays `false` for all but a [`Fed`] source, which its owner refills.
    fn has_work(&self) -> bool;

    /// Claims up to `want` items, using `buffer` if the source needs one; `None` when none
    /// are left; the payload if pulling the input panicked (the items pulled with it are
    /// dropped, and nothing more is pulled).
    fn claim<'a>(
        &'a self,
        want: usize,
        buffer: &'a mut Vec<Self::Item>,
    ) -> Result<Option<Self::Claimed<'a>>, Payload>;

    /// A worker ran `items` items of its claim in `ran_for`.
    fn finished(&self, _items: usize, _ran_for: Duration) {}

    /// Nothing more is to be claimed: the run was cancelled.
    fn close(&self);

    /// A worker starts taking items (see [`Shared::alone`]); [`leave`](Source::leave) when it
    /// stops.
    fn join(&self) {}

    fn leave(&self) {}

    /// A worker whose claims cost more than running their items stops taking for a while,
    /// unless it is the last taker; whether it stopped.
    fn step_back(&self) -> bool {
        false
    }

    /// Whether another worker holds the input alone: a claim finds nothing until it lets go.
    fn held_alone(&self) -> bool {
        false
    }

    /// While a worker holds the input alone: how many items it has run alone so far (read
    /// twice, its pace).
    fn held_items(&self) -> Option<usize> {
        None
    }

    /// Runs items one at a time on this thread for as long as it is the only taker, what
    /// `looks` reads holds (see [`Looks`]) and `each(item)` after an item, or the input ends;
    /// whether the input ended. No other thread runs the source's items meanwhile, so only
    /// `each` and what `looks` watches can end the run. Sources that cannot be held return at
    /// once.
    fn alone(
        &self,
        _looks: Looks<'_, impl Fn() -> bool>,
        _each: impl FnMut(Self::Item) -> bool,
    ) -> Result<bool, Payload> {
        Ok(false)
    }
}

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

/// What can end a held run from outside, besides its own iterations (see [`Source::alone`]),
/// and how often the holder reads it: `go_on()` is false once it must stop taking.
pub(crate) enum Looks<'a, F> {
    /// Nothing: only an iteration's exit ends the run.
    Never,
    /// Read before each item.
    EachItem(F),
    /// Read before every [`FEW`] items: the holder may start up to `FEW` items after the
    /// cancellation came, which only a run of more than `FEW` workers, in a loop that has not
    /// recursed, may do (see [`FEW`]). The flag says when the loop has recursed: the holder
    /// lets go at its next look at the other takers.
    EveryFew(F, &'a AtomicBool),
}

/// How many items a holder may start between two reads of a stop from outside, in a run of
/// more than `FEW` workers. The contract lets `workers - 1` iterations start after a stop
/// (those already starting on other threads). While one thread holds the input, no other
/// thread starts an item of the run, and, in a loop that never recursed, of the loop; so the
/// holder may use that allowance itself, a few items at a time. A holder that sees the loop
/// recurse lets go at its next look at the recursion's flag, once a stretch: a recursion's nested
/// runs have their items taken by other threads, each of which may race one after a stop.
/// Within that stretch (the first recursion of the loop, reached from a held item), a stop
/// may see the holder start up to `FEW` items beside them.
/// On `cargo bench --bench stop -- overhead_shared` (2,000,000 items of about a nanosecond),
/// a read before each item cost a third more time than no token at all; one read per 2 items
/// 8%; per 4 items, none measurable. (Reading the recursion's flag per block as well cost 30%:
/// it is read with the takers instead.)
pub(crate) const FEW: usize = if cfg!(loom) { 1 } else { 4 };

/// Pulls `input` into `buffer` until it holds `want` items, the input ends or `stop()`
/// holds; returns whether the pull ended early (input ended, or `stop()`), or the payload of
/// a panicking `next()`, with the items pulled before it still in `buffer`. One
/// `catch_unwind` per pull, not per item.
pub(crate) fn pull<I: Iterator>(
    input: &mut I,
    buffer: &mut Vec<I::Item>,
    want: usize,
    stop: impl Fn() -> bool,
) -> Result<bool, Payload> {
    catch_unwind(AssertUnwindSafe(|| {
        while buffer.len() < want {
            if stop() {
                return true;
            }
            match input.next() {
                Some(item) => buffer.push(item),
                None => return true,
            }
        }
        false
    }))
}

/// An iterator that is not `Send`: the run's owner pulls it into this queue.
pub(crate) struct Fed<'w, T> {
    queue: Mutex<Queue<T>>,
    /// `queue.ahead.queued`, readable without the lock.
    queued: AtomicUsize,
    /// The batch that the workers' last claims asked for (see [`next_batch`]), copied into
    /// `queue.ahead.batch` whenever the queue is locked: a worker that finished a claim sets
    /// it without taking the lock a third time. Two workers may overwrite each other's; it
    /// only sizes batches, and any batch keeps the queue within the contract's bound (see
    /// [`Ahead::limit`]).
    batch: AtomicUsize,
    /// `queue.ahead.room(workers)` as the queue was last unlocked: the owner polls it while
    /// it waits for room without taking the lock, which its workers need.
    room: AtomicUsize,
    closed: AtomicBool,
    workers: usize,
    max_batch: usize,
    /// Wakes the owner when room is made (the group's signal, where it waits).
    room_made: &'w Signal,
}

struct Queue<T> {
    items: VecDeque<T>,
    ahead: Ahead,
}

/// The queue, locked by [`Fed::queue`]; unlocking it publishes the room it leaves.
struct Locked<'a, T> {
    queue: MutexGuard<'a, Queue<T>>,
    room: &'a AtomicUsize,
    workers: usize,
}

impl<T> std::ops::Deref for Locked<'_, T> {
    type Target = Queue<T>;
    fn deref(&self) -> &Queue<T> {
        &self.queue
    }
}

impl<T> std::ops::DerefMut for Locked<'_, T> {
    fn deref_mut(&mut self) -> &mut Queue<T> {
        &mut self.queue
    }
}

impl<T> Drop for Locked<'_, T> {
    fn drop(&mut self) {
        // `Relaxed`: whoever made room notifies the owner after this, and the signal's
        // read-modify-write orders it (see `crate::wake`).
        let room = self.queue.ahead.room(self.workers);
        self.room.store(room, Ordering::Relaxed);
    }
}

impl<'w, T: Send> Fed<'w, T> {
    pub(crate) fn new(workers: usize, max_batch: usize, room_made: &'w Signal) -> Self {
        Fed {
            queue: Mutex::new(Queue {
                items: VecDeque::new(),
                ahead: Ahead::new(),
            }),
            queued: AtomicUsize::new(0),
            batch: AtomicUsize::new(1),
            room: AtomicUsize::new(Ahead::new().room(workers)),
            closed: AtomicBool::new(false),
            workers,
            max_batch,
            room_made,
        }
    }

    /// How many items the owner may pull now; 0 when it must wait. As of the queue's last
    /// unlocking: a batch size changed since may change the real room by the time the owner
    /// pushes, as any room may change between reading and pushing; either way the queue stays
    /// within [`Ahead::limit`] of some batch size, so within the contract's bound.
    pub(crate) fn room(&self) -> usize {
        self.room.load(Ordering::Relaxed)
    }

    /// Queues what the owner pulled.
    pub(crate) fn push(&self, pulled: &mut Vec<T>) {
        let mut queue = self.queue();
        queue.ahead.queued += pulled.len();
        queue.items.extend(pulled.drain(..));
        self.queued.store(queue.ahead.queued, Ordering::Release);
    }
}

impl<T> Fed<'_, T> {
    /// The queue, locked, with the batch size that the workers last asked for.
    fn queue(&self) -> Locked<'_, T> {
        let mut queue = lock(&self.queue);
        queue.ahead.batch = self.batch.load(Ordering::Relaxed);
        Locked {
            queue,
            room: &self.room,
            workers: self.workers,
        }
    }
}

impl<T: Send> Source for Fed<'_, T> {
    type Item = T;
    type Claimed<'a>
        = FedClaim<'a, T>
    where
        Self: 'a;

    fn max_batch(&self) -> usize {
        self.max_batch
    }

    fn has_work(&self) -> bool {
        !self.closed.load(Ordering::Acquire) && self.queued.load(Ordering::Acquire) > 0
    }

    fn claim<'a>(
        &'a self,
        _want: usize,
        buffer: &'a mut Vec<T>,
    ) -> Result<Option<FedClaim<'a, T>>, Payload> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut queue = self.queue();
        let Some(reservation) = queue.ahead.take(self.workers) else {
            return Ok(None);
        };
        // Last item first: the claim pops them in input order.
        buffer.extend(queue.items.drain(..reservation.taken).rev());
        self.queued.store(queue.ahead.queued, Ordering::Release);
        drop(queue);
        Ok(Some(FedClaim {
            fed: self,
            items: buffer,
            reservation,
        }))
    }

    fn finished(&self, items: usize, ran_for: Duration) {
        let batch = self.batch.load(Ordering::Relaxed);
        let next = next_batch(batch, items, ran_for, self.max_batch);
        self.batch.store(next, Ordering::Relaxed);
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }
}

/// Items a worker took from a [`Fed`] queue, last first in the worker's buffer. Four words:
/// a visit's frame holds one, on the stack once per level of a recursion (a `Drain` of the
/// buffer and a count of the items started took seven).
pub(crate) struct FedClaim<'a, T> {
    fed: &'a Fed<'a, T>,
    items: &'a mut Vec<T>,
    reservation: Reservation,
}

impl<T> Iterator for FedClaim<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.items.pop()?;
        if self.reservation.until_started {
            self.fed.queue().ahead.started_one();
            self.fed.room_made.notify();
        }
        Some(item)
    }
}

impl<T> Drop for FedClaim<'_, T> {
    fn drop(&mut self) {
        let unstarted = self.items.len();
        self.fed.queue().ahead.release(self.reservation, unstarted);
        self.fed.room_made.notify();
        // Taken, never started: dropped last, in input order, as a destructor may panic.
        resume_first(drop_each(self.items.drain(..).rev()));
    }
}

impl<T> Drop for Fed<'_, T> {
    /// Items queued and never claimed (the run ended): one by one, see [`drop_each`].
    fn drop(&mut self) {
        let items = std::mem::take(&mut lock(&self.queue).items);
        resume_first(drop_each(items.into_iter()));
    }
}

/// The values of a `while let` loop's head: the run's owner evaluates the head, one value at a
/// time, into this queue, which holds a value only until an idle pool thread takes it.
///
/// Pulled = started: the owner evaluates the head only once its group has promised the value
/// to an idle pool thread ([`Group::promise_thread`]), which counts the threads that exist and
/// are idle, across the runs of a recursion, less those promised already; or, when no pool
/// thread is free and the owner may work (a recursion's level, or every thread refused), to
/// run the value itself, without queueing it. So every value queued has a thread free to
/// start it at once, never more than `workers` iterations run, and only a loop that ends
/// meanwhile leaves a value unstarted.
pub(crate) struct Headed<'w, T> {
    queue: Mutex<VecDeque<T>>,
    /// `queue.len()`, readable without the lock.
    queued: AtomicUsize,
    closed: AtomicBool,
    /// Keeps the promise of every value taken from the queue, or dropped with it.
    group: &'w Group,
}

impl<'w, T: Send> Headed<'w, T> {
    pub(crate) fn new(group: &'w Group) -> Self {
        Headed {
            queue: Mutex::new(VecDeque::with_capacity(group.workers.min(64))),
            queued: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            group,
        }
    }

    /// Queues one value taken from the head, promised to a pool thread.
    pub(crate) fn push(&self, value: T) {
        let mut queue = lock(&self.queue);
        queue.push_back(value);
        self.queued.store(queue.len(), Ordering::Release);
    }
}

impl<T: Send> Source for Headed<'_, T> {
    type Item = T;
    type Claimed<'a>
        = std::option::IntoIter<T>
    where
        Self: 'a;

    fn max_batch(&self) -> usize {
        1
    }

    fn has_work(&self) -> bool {
        !self.closed.load(Ordering::Acquire) && self.queued.load(Ordering::Acquire) > 0
    }

    fn claim<'a>(
        &'a self,
        _want: usize,
        _buffer: &'a mut Vec<T>,
    ) -> Result<Option<Self::Claimed<'a>>, Payload> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut queue = lock(&self.queue);
        let Some(value) = queue.pop_front() else {
            return Ok(None);
        };
        self.queued.store(queue.len(), Ordering::Release);
        drop(queue);
        // The thread it was promised to, or this one, starts it: the owner may promise
        // another.
        self.group.keep_promises(1);
        Ok(Some(Some(value).into_iter()))
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }
}

impl<T> Drop for Headed<'_, T> {
    /// Values queued and never taken (the run ended first): their promises are kept, as the
    /// group's other runs (a recursion's) go on; the values are dropped one by one, see
    /// [`drop_each`].
    fn drop(&mut self) {
        let values = std::mem::take(&mut *lock(&self.queue));
        self.group.keep_promises(values.len());
        resume_first(drop_each(values.into_iter()));
    }
}

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
