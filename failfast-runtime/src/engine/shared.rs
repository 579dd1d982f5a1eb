//! A `Send` iterator that every worker pulls from (see [`Shared`]).

use super::ending::{drop_after, Payload};
use super::hand::{Claim, Hand, Hands};
use super::source::{Looks, Source, FEW};
use crate::sync::{AtomicBool, AtomicUsize, Mutex, MutexGuard, Ordering, Padded};
use crate::wake::Signal;
#[cfg(not(loom))]
use crate::wake::Wait;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::TryLockError;
use std::time::Duration;

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
///
/// # Hands
/// A claim of more than one item puts them in the visit's [`Hand`], each as it is pulled: its
/// worker takes them one at a time, and so may any worker that finds nothing else to take.
/// (A locked queue: crossbeam's work-stealing deque costs one atomic write an item less, but
/// Miri refuses its memory reclamation, and loom cannot see into it.) So an item never waits
/// behind another in a hand while a worker is idle, which two kinds of loops need:
/// - iterations that wait for each other (a `Barrier` of `workers`, or a gate that only
///   `workers` iterations together open): a worker whose item waits leaves the rest of its
///   claim to the others, also after the input ran out, when a claim takes from the hands
///   and [`has_work`](Source::has_work) counts what they hold;
/// - an input whose `next()` waits until an item it gave earlier has started (a
///   request/response channel): while one worker pulls, the others take what it pulled.
///
/// A claim that finds the input's lock taken takes from the hands, or waits on the group's
/// signal, counted in `waiting`, until it finds the lock free or a hand holding an item. The
/// puller, after it lets go of the lock, reads `waiting` with a read-modify-write, which reads
/// the latest count: either it sees the waiter and notifies, or the waiter's count came later,
/// and its first look finds the lock free. (Or held by another waiter's look, a `try_lock`:
/// that waiter then pulls and notifies in turn; or finds the input ended or closed, which
/// whoever did it announced; or held alone, and the holder notifies when it lets go; or the
/// lock taken again, and takes an item from a hand, leaving the duty to whoever holds the
/// lock then.) Within a pull, the puller notifies after each item it puts in its
/// hand if `waiting` is not zero, a plain read (an ordered one would cost every item a
/// fence): a waiter it misses looks again after a while ([`Patience`]), which bounds how long
/// an item can wait in the hand of a puller whose `next()` waits.
///
/// A worker that holds the input alone has the rest of it in its own frame: an iteration
/// that waits for another one to start waits for ever there. Holding begins only after a
/// visit's items proved tiny for a while (`CLAIMS_BEFORE_HOLDING` in `run.rs`), and the crate's
/// docs name the limit.
pub(crate) struct Shared<'s, I: Iterator> {
    /// On a line of its own: claims write the lock and the iterator's state, while waiting
    /// workers read the flags below.
    /// `None` only while a holder runs it alone, out of the lock's memory (see
    /// [`Source::alone`]).
    input: Padded<Mutex<Option<I>>>,
    /// The input is exhausted, panicked, or the run was cancelled.
    done: AtomicBool,
    /// The run was cancelled: what is left in hands is their workers' to drop, not to take.
    closed: AtomicBool,
    /// A worker holds `input` alone ([`Source::alone`]).
    held_alone: AtomicBool,
    /// Workers taking from this input, less those stepped back. Read by the holder before
    /// every item, written only when a worker joins, leaves or steps back: a line of its own,
    /// which stays in the holder's cache while nobody writes it.
    takers: Padded<AtomicUsize>,
    /// Items run alone, ever: stored by the holder between stretches, read by a worker that
    /// stepped back to see whether to join again.
    held_items: Padded<AtomicUsize>,
    /// Workers waiting in a claim while another pulls (see "Hands" above). Only ever changed
    /// by read-modify-writes, which a puller's read (one too) orders with them.
    waiting: Padded<AtomicUsize>,
    /// The hands of the visits taking from this input.
    hands: Hands<I::Item>,
    max_batch: usize,
    /// The group's: a holder that lets go wakes the workers waiting for it, and so does a
    /// puller that lets go of the input while a worker waits for it.
    signal: &'s Signal,
}

impl<'s, I> Shared<'s, I>
where
    I: Iterator + Send,
    I::Item: Send,
{
    pub(crate) fn new(input: I, max_batch: usize, signal: &'s Signal) -> Self {
        Shared {
            input: Padded::new(Mutex::new(Some(input))),
            done: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            held_alone: AtomicBool::new(false),
            takers: Padded::new(AtomicUsize::new(0)),
            held_items: Padded::new(AtomicUsize::new(0)),
            waiting: Padded::new(AtomicUsize::new(0)),
            hands: Hands::new(),
            max_batch,
            signal,
        }
    }

    /// Pulls up to `want` items under the input's lock: one on its own, more into the visit's
    /// `hand`, each as it is pulled, where a worker that finds nothing else to take may take
    /// it while this one pulls the next (see "Hands").
    fn pull<'a>(
        &'a self,
        mut input: MutexGuard<'_, Option<I>>,
        want: usize,
        hand: &'a mut Option<Hand<I::Item>>,
        cancelled: impl Fn() -> bool,
    ) -> Result<Option<Claim<'a, I::Item>>, Payload> {
        if self.done.load(Ordering::Acquire) {
            drop(input);
            return Ok(self.steal().map(Claim::one));
        }
        // `None` after a holder's stretch unwound with an input that has no drop glue (see
        // `Held`), which ended the run (`done`).
        let Some(iter) = input.as_mut() else {
            return Ok(None);
        };
        // The run may have ended while this worker waited for the lock.
        if cancelled() {
            return Ok(None);
        }
        let hand = match want {
            0 | 1 => None,
            _ => Some(&*hand.get_or_insert_with(|| self.hands.hand())),
        };
        let mut one = None;
        let pulled = catch_unwind(AssertUnwindSafe(|| {
            let Some(hand) = hand else {
                one = iter.next();
                return one.is_none();
            };
            for pulled in 0..want {
                // Once the run has ended, nothing more is taken from the input: `closed` is
                // set by the first worker that sees the end, which may be after this whole
                // batch, so the run's token is read too (before the first item, just above).
                if self.closed.load(Ordering::Relaxed) || (pulled > 0 && cancelled()) {
                    return false;
                }
                match iter.next() {
                    Some(item) => {
                        hand.push(item);
                        // Before the next `next()`, which may wait for this item to start.
                        // Read without ordering: a waiter that this misses looks again after
                        // its patience.
                        if self.waiting.load(Ordering::Relaxed) > 0 {
                            self.signal.notify();
                        }
                    }
                    None => return true,
                }
            }
            false
        }));
        let exhausted = match pulled {
            Ok(exhausted) => exhausted,
            Err(payload) => {
                // An iterator that panicked is not asked again, and its panic ends the run:
                // closed first, so that a worker that looks after this takes none of the items
                // pulled before it.
                self.closed.store(true, Ordering::Release);
                self.done.store(true, Ordering::Release);
                drop(input);
                // The items pulled before it are dropped after the panic, which stays the
                // run's first.
                let Some(hand) = hand else {
                    return Err(payload);
                };
                let payload = drop_after(payload, std::iter::from_fn(|| hand.pop()));
                while hand.pop().is_some() {}
                return Err(payload);
            }
        };
        if exhausted {
            self.done.store(true, Ordering::Release);
        }
        drop(input);
        Ok(match (hand, one) {
            (None, Some(item)) => Some(Claim::one(item)),
            // The input ran out before this claim had an item: others' hands may have some.
            (None, None) => self.steal().map(Claim::one),
            (Some(hand), _) => Some(Claim::Hand(hand)),
        })
    }

    /// An item from some worker's hand, if one has any and the run goes on.
    fn steal(&self) -> Option<I::Item> {
        if self.closed.load(Ordering::Acquire) {
            return None;
        }
        self.hands.steal()
    }

    /// Waits until the puller lets go of the input, the input ends or is held alone, the run
    /// is closed, or a hand holds an item to take; or, at the latest, until `patience` runs
    /// out (see "Hands").
    fn wait_for_puller(&self, patience: &mut Patience) {
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let ready = || {
            let ready = self.done.load(Ordering::Acquire)
                || self.held_alone.load(Ordering::Acquire)
                || self.hands.any_held()
                || !matches!(self.input.try_lock(), Err(TryLockError::WouldBlock));
            ready.then_some(())
        };
        #[cfg(not(loom))]
        {
            // Spinning first only on a claim's first wait, when the pull is likely short: a
            // worker woken for an item that another took, or whose wait ran out, sleeps.
            let begin = if patience.waited {
                Wait::Sleep
            } else {
                Wait::Spin
            };
            patience.waited = true;
            let woken = self
                .signal
                .wait_for_timeout(begin, patience.wait, ready)
                .is_some();
            patience.wait = if woken {
                Patience::MIN_WAIT
            } else {
                (patience.wait * 2).min(Patience::MAX_WAIT)
            };
        }
        // A model's `next()` never waits: the puller lets go, and says so.
        #[cfg(loom)]
        {
            let _ = patience;
            self.signal.wait_for(ready);
        }
        self.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

impl<I> Source for Shared<'_, I>
where
    I: Iterator + Send,
    I::Item: Send,
{
    type Item = I::Item;
    type Hand = Option<Hand<I::Item>>;
    type Claimed<'a>
        = Claim<'a, I::Item>
    where
        Self: 'a;

    const HOLDS: bool = true;

    /// A lock of the hand and its release, on a line in the worker's cache.
    const TAKING_AN_ITEM: Duration = Duration::from_nanos(8);

    fn max_batch(&self) -> usize {
        self.max_batch
    }

    /// Also once the input has run out, while a hand holds items: a thread that is idle, or
    /// not started yet, takes them from a worker whose item is long, or waits for the others
    /// (a `Barrier`).
    fn has_work(&self) -> bool {
        !self.done.load(Ordering::Acquire)
            || (!self.closed.load(Ordering::Acquire) && self.hands.any_held())
    }

    fn claim<'a>(
        &'a self,
        want: usize,
        hand: &'a mut Option<Hand<I::Item>>,
        cancelled: impl Fn() -> bool,
    ) -> Result<Option<Claim<'a, I::Item>>, Payload> {
        let mut patience = Patience::new();
        loop {
            // Not waiting for a holder, which may be this thread: a loop reached again inside
            // an iteration that the holder runs helps the outer run's claims.
            if self.held_alone.load(Ordering::Acquire) {
                return Ok(None);
            }
            // Pulled items may still be in other workers' hands: the input's end is not the
            // run's.
            if self.done.load(Ordering::Acquire) {
                return Ok(self.steal().map(Claim::one));
            }
            if self.closed.load(Ordering::Acquire) || cancelled() {
                return Ok(None);
            }
            let input = match self.input.try_lock() {
                Ok(input) => input,
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => {
                    // Another worker pulls (or holds the input alone, seen next round).
                    if let Some(item) = self.steal() {
                        return Ok(Some(Claim::one(item)));
                    }
                    self.wait_for_puller(&mut patience);
                    continue;
                }
            };
            let claimed = self.pull(input, want, hand, cancelled);
            // A worker that waits for the input is told. A read-modify-write, so it reads the
            // latest count (see "Hands").
            if self.waiting.fetch_add(0, Ordering::AcqRel) > 0 {
                self.signal.notify();
            }
            return claimed;
        }
    }

    fn put_back(&self, hand: Option<Hand<I::Item>>) {
        if let Some(hand) = hand {
            self.hands.put_back(hand);
        }
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
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
            let takers = &*self.takers;
            // One item of a stretch: the other takers (and `$stop`) looked at first, then
            // `next()`, then the item; the hold ends with whether the input ran out. Written
            // once, expanded in each of the loops below, which differ in what they read
            // between items.
            macro_rules! held_item {
                ($held:lifetime, $stop:expr) => {
                    if takers.load(Ordering::Relaxed) != 1 || $stop {
                        break $held false;
                    }
                    match iter.next() {
                        Some(item) => {
                            if !each(item) {
                                break $held false;
                            }
                        }
                        None => break $held true,
                    }
                };
            }
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
                            held_item!('held, !go_on());
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
                            held_item!('held, false);
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
                            held_item!('held, false);
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

/// How long a worker waits for a puller before it looks again: a fallback, as the puller
/// notifies when it lets go and when it puts an item in its hand while a worker waits, but
/// reads the count of waiters without ordering for the latter (see "Hands"). At first
/// [`MIN_WAIT`](Patience::MIN_WAIT), doubling up to [`MAX_WAIT`](Patience::MAX_WAIT) while the
/// puller keeps the input: a worker that waits on a slow input (a channel, one job every
/// 10 ms) wakes once a job, and for a few timed looks after it, asleep between (a reader
/// measured 64 workers waiting on such a channel at a core's worth of CPU when each woke
/// every 5 ms and spun first; now 35 ms of CPU a second with 8 workers, 73 with 32).
struct Patience {
    #[cfg(not(loom))]
    wait: Duration,
    /// Whether the claim waited already.
    #[cfg(not(loom))]
    waited: bool,
}

impl Patience {
    #[cfg(not(loom))]
    const MIN_WAIT: Duration = Duration::from_millis(1);
    #[cfg(not(loom))]
    const MAX_WAIT: Duration = Duration::from_millis(100);

    fn new() -> Patience {
        Patience {
            #[cfg(not(loom))]
            wait: Self::MIN_WAIT,
            #[cfg(not(loom))]
            waited: false,
        }
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
            let mut hand = None;
            let claimed: Vec<u32> = source
                .claim(2, &mut hand, || false)
                .unwrap()
                .unwrap()
                .collect();
            assert_eq!(claimed, [4, 5]);
        }
    }

    /// What a worker claimed and has not started, another worker may take: while the first
    /// runs an item, and also once the input has run out.
    #[test]
    fn a_claims_items_not_started_are_taken_by_a_worker_with_nothing_to_claim() {
        let signal = Signal::new();
        let source = Shared::new(0..3, MAX_BATCH, &signal);
        let (mut first, mut second) = (None, None);
        let mut claim = source
            .claim(MAX_BATCH, &mut first, || false)
            .unwrap()
            .unwrap();
        // The first worker starts its first item; the input has run out, not the work.
        assert_eq!(claim.next(), Some(0));
        assert!(source.has_work(), "items wait in a hand");
        let taken: Vec<u32> = source
            .claim(MAX_BATCH, &mut second, || false)
            .unwrap()
            .unwrap()
            .collect();
        assert_eq!(taken, [1], "one item at a time from another hand");
        assert_eq!(claim.next(), Some(2), "the rest stays with its worker");
        assert_eq!(claim.next(), None);
        drop(claim);
        assert!(!source.has_work());
        assert!(source
            .claim(MAX_BATCH, &mut second, || false)
            .unwrap()
            .is_none());
    }

    /// While a worker pulls, one whose `next()` waits for an item it gave earlier to start, a
    /// claim takes that item from the puller's hand instead of waiting for the lock.
    #[test]
    fn a_claim_takes_what_a_waiting_puller_pulled() {
        use std::sync::mpsc;
        let signal = Signal::new();
        let (started_tx, started_rx) = mpsc::channel::<u32>();
        // The second item comes only once the first has started.
        let input = (0..2u32).inspect(move |&n| {
            if n == 1 {
                // A bound, so that a regression fails the test instead of hanging it.
                let started = started_rx.recv_timeout(std::time::Duration::from_secs(30));
                assert_eq!(started, Ok(0), "the first item started");
            }
        });
        let source = Shared::new(input, MAX_BATCH, &signal);
        // A worker: claims until nothing is left, and starts each item it gets.
        let work = || {
            let mut hand = None;
            let mut ran = Vec::new();
            while let Some(claim) = source.claim(MAX_BATCH, &mut hand, || false).unwrap() {
                for item in claim {
                    if item == 0 {
                        started_tx.send(0).unwrap();
                    }
                    ran.push(item);
                }
            }
            ran
        };
        let (mut one, two) = std::thread::scope(|scope| {
            let other = scope.spawn(work);
            (work(), other.join().unwrap())
        });
        // The puller waited in `next()` for the first item; the other worker took it.
        one.extend(two);
        one.sort_unstable();
        assert_eq!(one, [0, 1]);
    }
}
