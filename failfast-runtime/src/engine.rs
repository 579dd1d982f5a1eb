//! The fail-fast loop: the calling thread pulls the input, pool threads run the iterations.
//!
//! All coordination goes through one mutex-protected [`Queue`]. The caller may only pull an
//! item while fewer than [`Queue::limit`] items wait unstarted, which bounds what is pulled
//! ahead; a worker checks the loop's [`Token`] before every item, which bounds what starts
//! after a failure; the first [`Ending`] recorded is the loop's result, except that a panic
//! replaces an error.

use crate::cancel::{self, Token};
use crate::outcome::Flow;
use crate::pool::{self, Scope, Work};
use crate::sync::{lock, spin_until, wait, Arc, AtomicUsize, Condvar, Mutex, MutexGuard, Ordering};
use std::any::Any;
use std::collections::VecDeque;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Items handed to a worker at once, at most (the contract's "64 per worker").
pub(crate) const MAX_BATCH: usize = 64;

/// Iterations faster than this on average are "very fast": the engine then hands items out
/// in batches instead of one by one, so that waking the caller is paid once per batch.
/// Slower iterations go out one at a time, at most `workers` ahead.
const FAST_ITERATION: Duration = Duration::from_micros(100);

/// A batch grows (doubling) until it holds about this much work, or 64 items.
const BATCH_WORK: Duration = Duration::from_millis(1);

/// Pulling a batch from the input slower than this shrinks the batch again, so that a slow
/// input never keeps idle workers waiting for a batch to fill.
const SLOW_FILL: Duration = Duration::from_micros(50);

/// What a loop runs for each item, and what each worker keeps while it runs.
pub(crate) trait Body<T>: Sync {
    /// What one iteration returns.
    type Outcome: Flow<Exit: Send>;
    /// State a worker keeps across the iterations it runs.
    type Local;
    fn start(&self) -> Self::Local;
    fn run(&self, local: &mut Self::Local, item: T) -> Self::Outcome;
    fn finish(&self, local: Self::Local);
}

/// How a worker counts the items it took towards [`Queue::reserved`].
struct Reservation {
    /// The single item taken stays reserved until it starts.
    until_started: bool,
    /// Items that stay reserved until the whole batch is finished.
    until_finished: usize,
}

/// What a worker reports about its last batch when it takes the next one.
#[derive(Default)]
struct Finished {
    /// The worker has not taken anything yet.
    arriving: bool,
    items: usize,
    reserved: usize,
    ran_for: Duration,
}

/// Who waits in [`Shared::await_change`], and so on which condition variable.
#[derive(Clone, Copy)]
enum Waiter {
    /// The calling thread, for room in the queue or for a worker to arrive.
    Caller,
    /// A worker, for items.
    Worker,
}

/// How filling a batch from the input ended.
enum Fill {
    Full,
    Exhausted,
    Cancelled,
}

/// How a loop ended early.
enum Ending<F> {
    /// A failure or an early return.
    Exit(F),
    Panic(Box<dyn Any + Send>),
}

struct Queue<T> {
    /// Pulled from the input, not yet taken by a worker.
    items: VecDeque<T>,
    /// Items taken by workers that may not have started yet (see [`Reservation`]).
    reserved: usize,
    /// Items a worker takes at once: 1 for slow iterations; for very fast ones, doubling up
    /// to about [`BATCH_WORK`] of work, at most 64.
    batch: usize,
    /// Workers started so far; never more than `workers`.
    started: usize,
    /// Workers started that have not taken their first items yet.
    arriving: usize,
    /// Workers parked on `work_ready`, waiting for items.
    idle: usize,
    /// The caller is parked on `room_ready`.
    producer_waiting: bool,
    /// The input is exhausted, or the caller stopped pulling it.
    closed: bool,
}

impl<T> Queue<T> {
    /// Items pulled but not started: queued, or reserved in a worker's batch.
    fn unstarted(&self) -> usize {
        self.items.len() + self.reserved
    }

    /// How many unstarted items are allowed: `workers` while items go out one by one, and
    /// `workers * (batch - 1)` with batches, which is below the contract's 64 per worker even
    /// counting the first item of each batch, which a worker is about to start.
    fn limit(&self, workers: usize) -> usize {
        workers * (self.batch - 1).max(1)
    }
}

struct Shared<'b, T, B: Body<T>> {
    body: &'b B,
    workers: usize,
    max_batch: usize,
    token: Arc<Token>,
    queue: Mutex<Queue<T>>,
    /// Signalled when items arrive, the queue closes, or the loop is cancelled.
    work_ready: Condvar,
    /// Signalled when items start or finish, a worker arrives, or the loop is cancelled.
    room_ready: Condvar,
    /// Bumped by every change a waiting thread may be waiting for (items queued, room made,
    /// the queue closed, the loop cancelled), so that waiters can spin on it without the lock
    /// before they park.
    activity: AtomicUsize,
    ending: Mutex<Option<Ending<<B::Outcome as Flow>::Exit>>>,
}

/// Runs `body` for every item of `input` on at most `workers` threads, stopping at the first
/// failure or panic (see the crate docs for the full contract).
pub(crate) fn drive<I, B>(input: I, workers: usize, body: &B) -> B::Outcome
where
    I: IntoIterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    assert!(
        workers >= 1,
        "failfast: `workers` must be at least 1, got 0 (use `workers = 1` to run the iterations one at a time)"
    );
    let input = input.into_iter();
    let shared = Shared {
        body,
        workers,
        // One worker runs the sequential loop: it may take one item ahead, never a batch.
        max_batch: if workers == 1 { 1 } else { MAX_BATCH },
        token: Token::for_new_loop(),
        queue: Mutex::new(Queue {
            items: VecDeque::new(),
            reserved: 0,
            batch: 1,
            started: 0,
            arriving: 0,
            idle: 0,
            producer_waiting: false,
            closed: false,
        }),
        work_ready: Condvar::new(),
        room_ready: Condvar::new(),
        activity: AtomicUsize::new(0),
        ending: Mutex::new(None),
    };
    pool::scope(|scope| {
        // Closes the queue even if pulling the input unwinds, so that the workers exit and
        // the scope's wait ends.
        struct CloseOnExit<'a, 'b, T, B: Body<T>>(&'a Shared<'b, T, B>);
        impl<T, B: Body<T>> Drop for CloseOnExit<'_, '_, T, B> {
            fn drop(&mut self) {
                lock(&self.0.queue).closed = true;
                self.0.changed();
                self.0.work_ready.notify_all();
            }
        }
        let _close = CloseOnExit(&shared);
        shared.produce(input, scope);
    });
    shared.into_outcome()
}

impl<T, B: Body<T>> Shared<'_, T, B> {
    /// Tells spinning waiters that the queue, its room or the loop's state changed.
    fn changed(&self) {
        self.activity.fetch_add(1, Ordering::Release);
    }

    /// Tells the caller there may be room, or a worker has arrived: it is spinning, or parked
    /// (then `queue`, the locked queue, says so).
    fn wake_caller(&self, queue: &Queue<T>) {
        self.changed();
        if queue.producer_waiting {
            self.room_ready.notify_one();
        }
    }

    /// Wakes every thread waiting on this loop, to see that it was cancelled. The caller
    /// holds the queue's lock: a thread that saw the loop running under it is already parked,
    /// and so is woken.
    fn wake_all(&self) {
        self.changed();
        self.work_ready.notify_all();
        self.room_ready.notify_all();
    }
}

impl<'b, T: Send, B: Body<T>> Shared<'b, T, B> {
    /// The caller's side: pull the input, lazily, until it ends or the loop is cancelled.
    fn produce<'scope>(
        &'scope self,
        mut input: impl Iterator<Item = T>,
        scope: &'scope Scope<'scope, '_>,
    ) {
        let mut pulled = Vec::new();
        let mut fill_limit = self.max_batch;
        loop {
            let Some(room) = self.wait_for_room(scope) else {
                return;
            };
            let want = room.min(fill_limit);
            let filling = (want > 1).then(Instant::now);
            // One `catch_unwind` per batch, not per item: if `next()` panics, what was
            // pulled stays in `pulled` and is dropped with it.
            let fill = catch_unwind(AssertUnwindSafe(|| {
                while pulled.len() < want {
                    if self.token.is_cancelled() {
                        return Fill::Cancelled;
                    }
                    match input.next() {
                        Some(item) => pulled.push(item),
                        None => return Fill::Exhausted,
                    }
                }
                Fill::Full
            }));
            let exhausted = match fill {
                Ok(Fill::Full) => false,
                Ok(Fill::Exhausted) => true,
                Ok(Fill::Cancelled) => return,
                Err(payload) => {
                    self.record(Ending::Panic(payload));
                    return;
                }
            };
            if let Some(filling) = filling {
                fill_limit = if filling.elapsed() > SLOW_FILL {
                    (want / 2).max(1)
                } else {
                    (fill_limit * 2).min(self.max_batch)
                };
            }
            if self.push(&mut pulled) {
                scope.spawn(self);
            }
            if exhausted {
                self.ramp_up_the_rest(scope);
                return;
            }
        }
    }

    /// Waits until another item may be pulled; returns how many, or `None` once cancelled.
    fn wait_for_room<'scope>(&'scope self, scope: &'scope Scope<'scope, '_>) -> Option<usize> {
        self.caller_waits(scope, |queue| {
            let limit = queue.limit(self.workers);
            (queue.unstarted() < limit).then(|| (limit - queue.unstarted()).min(queue.batch))
        })
    }

    /// The caller's waiting: until `until` gives a value (or the loop is cancelled), starting
    /// the next worker whenever the last one started has arrived.
    fn caller_waits<'scope, R>(
        &'scope self,
        scope: &'scope Scope<'scope, '_>,
        until: impl Fn(&Queue<T>) -> Option<R>,
    ) -> Option<R> {
        let mut queue = lock(&self.queue);
        let mut spun = false;
        loop {
            if self.token.is_cancelled() {
                return None;
            }
            if let Some(done) = until(&queue) {
                return Some(done);
            }
            if self.another_worker(&mut queue) {
                drop(queue);
                scope.spawn(self);
                queue = lock(&self.queue);
            } else {
                queue = self.await_change(queue, Waiter::Caller, &mut spun);
            }
        }
    }

    /// Waits for the next change to the queue: by spinning without the lock first, by
    /// parking until signalled the time after (`spun` says which is due).
    fn await_change<'q>(
        &'q self,
        mut queue: MutexGuard<'q, Queue<T>>,
        who: Waiter,
        spun: &mut bool,
    ) -> MutexGuard<'q, Queue<T>> {
        if !*spun {
            *spun = true;
            return self.spin_unlocked(queue);
        }
        *spun = false;
        match who {
            Waiter::Caller => {
                queue.producer_waiting = true;
                queue = wait(&self.room_ready, queue);
                queue.producer_waiting = false;
            }
            Waiter::Worker => {
                queue.idle += 1;
                queue = wait(&self.work_ready, queue);
                queue.idle -= 1;
            }
        }
        queue
    }

    /// Releases the lock and spins until something changes (or a short while passes), then
    /// locks again: a wait shorter than a wake-up is cheaper spent spinning.
    fn spin_unlocked<'q>(&'q self, queue: MutexGuard<'q, Queue<T>>) -> MutexGuard<'q, Queue<T>> {
        let seen = self.activity.load(Ordering::Acquire);
        drop(queue);
        spin_until(|| self.activity.load(Ordering::Acquire) != seen);
        lock(&self.queue)
    }

    /// Queues the pulled items; returns whether to start another worker for them.
    fn push(&self, pulled: &mut Vec<T>) -> bool {
        let mut queue = lock(&self.queue);
        queue.items.extend(pulled.drain(..));
        self.changed();
        for _ in 0..queue.idle.min(queue.items.len()) {
            self.work_ready.notify_one();
        }
        self.another_worker(&mut queue)
    }

    /// Whether to start another worker: when items wait that no idle worker will take, and
    /// the last worker started has arrived. Starting one at a time means that trivial
    /// iterations are done by the first worker before a second would even wake, while slow
    /// ones ramp up to `workers` within microseconds per worker.
    fn another_worker(&self, queue: &mut Queue<T>) -> bool {
        let start = queue.arriving == 0
            && queue.started < self.workers
            && queue.items.len() > queue.idle
            && !self.token.is_cancelled();
        if start {
            queue.started += 1;
            queue.arriving += 1;
        }
        start
    }

    /// After the input ends, keeps starting workers while queued items wait for one.
    fn ramp_up_the_rest<'scope>(&'scope self, scope: &'scope Scope<'scope, '_>) {
        self.caller_waits(scope, |queue| {
            (queue.started == self.workers || queue.items.is_empty()).then_some(())
        });
    }

    /// A worker's side: take batches and run them until the queue closes or the loop is
    /// cancelled.
    fn work_through(&self) {
        let mut local = self.body.start();
        let mut batch = Vec::new();
        let mut done = Finished {
            arriving: true,
            ..Finished::default()
        };
        while let Some(reservation) = self.take(&mut batch, &done) {
            done = Finished {
                arriving: false,
                items: batch.len(),
                // An item reserved until it starts but never started (the loop was cancelled
                // first) is released with the batch.
                reserved: reservation.until_finished + usize::from(reservation.until_started),
                ran_for: Duration::ZERO,
            };
            let started = Instant::now();
            for item in batch.drain(..) {
                if self.token.is_cancelled() {
                    // Leaving the loop drops the rest of the batch: taken, never started.
                    break;
                }
                if reservation.until_started {
                    self.started_one();
                    done.reserved -= 1;
                }
                match catch_unwind(AssertUnwindSafe(|| self.body.run(&mut local, item))) {
                    Ok(outcome) => {
                        if let Some(exit) = outcome.into_exit() {
                            self.record(Ending::Exit(exit));
                        }
                    }
                    Err(payload) => self.record(Ending::Panic(payload)),
                }
            }
            done.ran_for = started.elapsed();
        }
        self.body.finish(local);
    }

    /// Reports the last batch `done` and takes the next one into `batch`; `None` when there is
    /// nothing more for this worker to do.
    fn take(&self, batch: &mut Vec<T>, done: &Finished) -> Option<Reservation> {
        let mut queue = lock(&self.queue);
        if done.arriving {
            queue.arriving -= 1;
            // The caller may be waiting to start the next worker.
            self.wake_caller(&queue);
        }
        if done.items > 0 {
            queue.reserved -= done.reserved;
            queue.batch = self.next_batch(queue.batch, done);
            self.wake_caller(&queue);
        }
        let mut spun = false;
        loop {
            if self.token.is_cancelled() {
                // The cancellation may come from an outer loop, which signals nobody here:
                // whoever waits on this loop must wake up and see it.
                self.wake_all();
                return None;
            }
            if !queue.items.is_empty() {
                let share = queue.items.len().div_ceil(self.workers);
                let n = share.min(queue.batch).max(1);
                batch.extend(queue.items.drain(..n));
                // One item at a time, the limit is exactly `workers` unstarted items, so the
                // item stays counted until it starts. A batch's limit leaves room for its first
                // item, so the rest is counted until the batch is finished: no extra lock.
                let reservation = if queue.batch == 1 {
                    Reservation {
                        until_started: true,
                        until_finished: 0,
                    }
                } else {
                    Reservation {
                        until_started: false,
                        until_finished: n - 1,
                    }
                };
                queue.reserved +=
                    reservation.until_finished + usize::from(reservation.until_started);
                return Some(reservation);
            }
            if queue.closed {
                return None;
            }
            queue = self.await_change(queue, Waiter::Worker, &mut spun);
        }
    }

    /// The batch size after a worker reports `done`.
    fn next_batch(&self, batch: usize, done: &Finished) -> usize {
        // Under loom a run must replay exactly: no decision may depend on the clock.
        if cfg!(loom) {
            return 1;
        }
        let per_item = done.ran_for / done.items as u32;
        if per_item >= FAST_ITERATION {
            return 1;
        }
        let fits = (BATCH_WORK.as_nanos() / per_item.as_nanos().max(1)) as usize;
        (batch * 2).min(fits).max(2).min(self.max_batch)
    }

    /// The item a worker took one at a time is about to start: the caller may pull another.
    fn started_one(&self) {
        let mut queue = lock(&self.queue);
        queue.reserved -= 1;
        self.wake_caller(&queue);
    }

    /// Records how the loop ended, unless an equal or stronger ending was recorded first,
    /// and cancels it.
    fn record(&self, ending: Ending<<B::Outcome as Flow>::Exit>) {
        let discarded = {
            let mut recorded = lock(&self.ending);
            match (&*recorded, ending) {
                (None, ending) => recorded.replace(ending),
                // A panic always wins over an error.
                (Some(Ending::Exit(_)), panic @ Ending::Panic(_)) => recorded.replace(panic),
                (Some(_), later) => Some(later),
            }
        };
        self.token.cancel();
        {
            let _queue = lock(&self.queue);
            self.wake_all();
        }
        // Dropped last and outside the locks: an error's `Drop` may panic, and that panic
        // cancels the loop like any other.
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(discarded))) {
            let mut recorded = lock(&self.ending);
            if !matches!(*recorded, Some(Ending::Panic(_))) {
                *recorded = Some(Ending::Panic(payload));
            }
        }
    }

    /// The loop's result, once every worker has finished.
    fn into_outcome(self) -> B::Outcome {
        let Shared { queue, ending, .. } = self;
        // Items pulled but never started are dropped here, on the caller.
        let leftovers = catch_unwind(AssertUnwindSafe(|| drop(queue)));
        let ending = ending.into_inner().unwrap_or_else(|p| p.into_inner());
        match (ending, leftovers) {
            (Some(Ending::Panic(payload)), _) | (_, Err(payload)) => resume_unwind(payload),
            (Some(Ending::Exit(exit)), Ok(())) => B::Outcome::from_exit(exit),
            (None, Ok(())) => B::Outcome::success(),
        }
    }
}

impl<T: Send, B: Body<T>> Work for Shared<'_, T, B> {
    fn work(&self) {
        let _current = cancel::enter(Arc::clone(&self.token));
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| self.work_through())) {
            self.record(Ending::Panic(payload));
        }
    }
}
