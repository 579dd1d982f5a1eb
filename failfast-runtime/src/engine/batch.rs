//! The arithmetic of batches and of pulling ahead, apart from any thread: how many items a
//! worker takes at once, and how far the calling thread may pull a non-`Send` input ahead of
//! the running iterations. Pure functions, tested below without threads.

use std::time::Duration;

/// Items taken from an input at once, at most (the contract's "64 per worker").
pub(crate) const MAX_BATCH: usize = 64;

/// Index ranges claimed from an input that is split by index grow up to this many items: an
/// index claimed is not an item taken (it stays in its slice or range until it starts), so the
/// contract's 64 does not bound it; the remaining items, shared among the workers, do.
pub(crate) const MAX_INDEX_CHUNK: usize = 1 << 20;

/// Iterations faster than this on average are "very fast": the engine then hands items out in
/// batches instead of one by one, so that taking them is paid once per batch. Slower
/// iterations go out one at a time.
pub(crate) const FAST_ITERATION: Duration = Duration::from_micros(100);

/// A batch grows (doubling) until it holds about this much work.
pub(crate) const BATCH_WORK: Duration = Duration::from_millis(1);

/// The largest batch taken from a lazy input: 64, but 1 with one worker, which runs the
/// sequential loop and may take one item ahead, never a batch.
pub(crate) fn lazy_max_batch(workers: usize) -> usize {
    if workers == 1 {
        1
    } else if cfg!(loom) {
        // Models have a few items: batches reach their largest size after one doubling, so
        // that a worker holding the input alone (see `shared::Shared`) is explored too.
        2
    } else {
        MAX_BATCH
    }
}

/// The largest batch taken from an input the caller pulls: [`lazy_max_batch`], but 4 under
/// loom: with a batch of 2, the queue holds at most `workers` items and a worker takes an
/// equal share of it, one item, so that no claim would go into a hand (see `fed::Fed::new`).
pub(crate) fn fed_max_batch(workers: usize) -> usize {
    if cfg!(loom) && workers > 1 {
        4
    } else {
        lazy_max_batch(workers)
    }
}

/// The batch size after `items` items of a batch of `batch` ran in `ran_for`, at most `max`.
pub(crate) fn next_batch(batch: usize, items: usize, ran_for: Duration, max: usize) -> usize {
    if items == 0 || max <= 1 {
        return 1;
    }
    // Under loom a run must replay exactly: no decision may depend on the clock. Batches
    // double on every claim instead, so that the models run batch mode too.
    if cfg!(loom) {
        return (batch * 2).min(max);
    }
    let per_item = ran_for / items as u32;
    if per_item >= FAST_ITERATION {
        return 1;
    }
    let fits =
        usize::try_from(BATCH_WORK.as_nanos() / per_item.as_nanos().max(1)).unwrap_or(usize::MAX);
    (batch * 2).min(fits).max(2).min(max)
}

/// How many indices to claim from `remaining` ones when a worker's batch is `batch`: at most
/// half of an equal share, so that the last items are spread over the workers instead of
/// landing on one. Saturating: `workers = usize::MAX` means "no limit" to some callers.
pub(crate) fn index_chunk(batch: usize, remaining: usize, workers: usize) -> usize {
    batch.min(remaining / workers.saturating_mul(2)).max(1)
}

/// When a worker stops taking from a lazy `Send` input for a while (see `shared::Shared`):
/// after [`DEAR_CLAIMS`] claims in a row at the largest batch that each took longer to take
/// than to run. Taking a batch then costs mostly the trip of the lock between the cores, and a
/// second taker only slows the first down.
#[derive(Debug)]
pub(crate) struct StepBack {
    dear: u32,
    pause: Duration,
    /// What the last dear claim cost to take.
    taking: Duration,
    /// Items the holder had run alone when the current pause began; `None` if nobody held the
    /// input then.
    held: Option<usize>,
}

/// Dear claims in a row before a worker steps back: one could be a preemption.
pub(crate) const DEAR_CLAIMS: u32 = 4;

/// How long a worker that stepped back stays back, at first and at most. The pause doubles
/// while stepping back keeps paying: joining again costs the 1 to 2 us of dear claims it takes
/// to find out, and a worker that is back when the items turn slow joins at most this late.
pub(crate) const MIN_PAUSE: Duration = Duration::from_micros(50);
pub(crate) const MAX_PAUSE: Duration = Duration::from_millis(1);

impl StepBack {
    pub(crate) fn new() -> StepBack {
        StepBack {
            dear: 0,
            pause: MIN_PAUSE,
            taking: Duration::ZERO,
            held: None,
        }
    }

    /// A claim at the largest batch took `taking` to take and `running` to run its items;
    /// whether the worker should step back now.
    pub(crate) fn claimed(&mut self, taking: Duration, running: Duration) -> bool {
        if taking > running {
            self.dear += 1;
            self.taking = taking;
        } else {
            // Sharing pays again: the next pause starts short.
            self.dear = 0;
            self.pause = MIN_PAUSE;
        }
        self.dear >= DEAR_CLAIMS
    }

    /// The worker steps back: how long it stays back. The next pause is twice as long, unless
    /// a claim pays first.
    pub(crate) fn pause(&mut self) -> Duration {
        self.dear = 0;
        let pause = self.pause;
        self.pause = (self.pause * 2).min(MAX_PAUSE);
        pause
    }

    /// The worker steps back, when the holder (if any yet) had run `held` items alone.
    pub(crate) fn stepped_back(&mut self, held: Option<usize>) {
        self.held = held;
    }

    /// After a pause of `during`, when the holder has run `held` items alone (`None`: nobody
    /// holds the input): whether the worker joins again. It joins when nobody holds the input,
    /// or when a batch of `batch` items at the holder's pace would take longer to run than the
    /// last dear claim took to take. Joining costs the holder its hold and a few dear
    /// claims, so a worker only joins when the holder's pace says it would pay.
    ///
    /// A holder that began holding during the pause has no pace yet: the worker that stepped
    /// back usually does so while the other is still running its last claim. It is judged
    /// after the next pause (reading that moment as "nobody holds" had the worker join and
    /// step back again every pause).
    pub(crate) fn join_again(
        &mut self,
        held: Option<usize>,
        during: Duration,
        batch: usize,
    ) -> bool {
        let Some(after) = held else {
            return true;
        };
        let Some(before) = self.held.replace(after) else {
            return false;
        };
        let (batch, items) = (
            u32::try_from(batch).unwrap_or(u32::MAX),
            u32::try_from(after.saturating_sub(before)).unwrap_or(u32::MAX),
        );
        items == 0 || during * batch > self.taking * items
    }
}

/// What the calling thread has pulled from a non-`Send` input and not yet seen started,
/// but for the items in workers' hands, which the hands count (see `fed::Fed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ahead {
    /// Pulled, waiting in the queue.
    pub(crate) queued: usize,
    /// Taken one at a time by workers, and not yet started (see [`Reservation`]).
    pub(crate) reserved: usize,
    /// Items a worker takes at once: 1 for slow iterations, up to 64 for fast ones.
    pub(crate) batch: usize,
}

/// Items a worker took from the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reservation {
    /// Items taken.
    pub(crate) taken: usize,
    /// Taken one at a time: the item stays counted in [`Ahead::reserved`] until it starts
    /// (released by [`Ahead::started_one`]), and the limit is then exactly `workers`
    /// unstarted items. Otherwise more than one item goes into the worker's hand, which
    /// counts them until each starts; and a single item (the queue held one) is counted
    /// nowhere: its worker starts it at once (see [`Ahead::limit`]).
    pub(crate) until_started: bool,
}

impl Reservation {
    /// What this reservation adds to [`Ahead::reserved`].
    pub(crate) fn counted(&self) -> usize {
        if self.until_started {
            self.taken
        } else {
            0
        }
    }
}

impl Ahead {
    pub(crate) fn new() -> Ahead {
        Ahead {
            queued: 0,
            reserved: 0,
            batch: 1,
        }
    }

    /// Items pulled that may not have started, but for those in hands.
    pub(crate) fn unstarted(&self) -> usize {
        self.queued + self.reserved
    }

    /// How many unstarted items are allowed: `workers` while items go out one by one (each
    /// counted until it starts, also one taken from a hand, see [`reserve_one`]), and
    /// `workers * (batch - 1)` with batches, which stays within the contract's 64 per worker
    /// also with one more item per worker that is counted nowhere (a single item claimed
    /// with batches, or one taken from another worker's hand, about to start).
    /// Saturating, for a `workers` as large as `usize::MAX`.
    ///
    /// [`reserve_one`]: Self::reserve_one
    pub(crate) fn limit(&self, workers: usize) -> usize {
        workers.saturating_mul((self.batch - 1).max(1))
    }

    /// How many more items may be pulled, before counting those in hands.
    pub(crate) fn spare(&self, workers: usize) -> usize {
        self.limit(workers).saturating_sub(self.unstarted())
    }

    /// A worker takes its share of the queue: at most a batch, and no more than an equal
    /// share among the workers. Returns `None` when the queue is empty.
    pub(crate) fn take(&mut self, workers: usize) -> Option<Reservation> {
        if self.queued == 0 {
            return None;
        }
        let taken = self.queued.div_ceil(workers).min(self.batch).max(1);
        let reservation = Reservation {
            taken,
            until_started: self.batch == 1,
        };
        self.queued -= taken;
        self.reserved += reservation.counted();
        Some(reservation)
    }

    /// While items go out one at a time, an item taken from a hand is counted until it
    /// starts, as one taken from the queue is (see [`limit`](Self::limit)).
    pub(crate) fn reserve_one(&mut self) -> Option<Reservation> {
        let reservation = Reservation {
            taken: 1,
            until_started: self.batch == 1,
        };
        self.reserved += reservation.counted();
        reservation.until_started.then_some(reservation)
    }

    /// An item taken one at a time starts.
    pub(crate) fn started_one(&mut self) {
        self.reserved -= 1;
    }

    /// A claim is finished: `unstarted` of its items counted until they started never did
    /// (the loop was cancelled first).
    pub(crate) fn release(&mut self, reservation: Reservation, unstarted: usize) {
        if reservation.until_started {
            self.reserved -= unstarted;
        }
    }
}

/// How many items the caller may pull now (at most a `batch`), when the [`Ahead::spare`] room
/// is `spare` and the workers' hands hold `in_hands`; 0 when it must wait.
pub(crate) fn room(spare: usize, in_hands: usize, batch: usize) -> usize {
    spare.saturating_sub(in_hands).min(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_steps_back_after_dear_claims_in_a_row() {
        let mut step = StepBack::new();
        let (cheap, dear) = (Duration::from_nanos(50), Duration::from_nanos(200));
        for _ in 1..DEAR_CLAIMS {
            assert!(!step.claimed(dear, cheap));
        }
        // One claim that pays starts the count again.
        assert!(!step.claimed(cheap, dear));
        for _ in 1..DEAR_CLAIMS {
            assert!(!step.claimed(dear, cheap));
        }
        assert!(step.claimed(dear, cheap));
    }

    #[test]
    fn a_worker_joins_again_only_when_the_holders_pace_says_sharing_pays() {
        let taking = Duration::from_nanos(128);
        let pause = Duration::from_micros(50);
        let stepped_back = || {
            let mut step = StepBack::new();
            for _ in 0..DEAR_CLAIMS {
                step.claimed(taking, Duration::from_nanos(20));
            }
            step.stepped_back(Some(1_000));
            step
        };
        // 64 items take 128 ns to take: sharing pays once they take more than 2 ns each.
        assert!(
            !stepped_back().join_again(Some(101_000), pause, 64),
            "0.5 ns an item"
        );
        assert!(
            stepped_back().join_again(Some(11_000), pause, 64),
            "5 ns an item"
        );
        assert!(
            stepped_back().join_again(Some(1_000), pause, 64),
            "a holder that is stuck"
        );
        assert!(
            stepped_back().join_again(None, pause, 64),
            "nobody holds it"
        );
        // Each pause is judged on its own items.
        let mut step = stepped_back();
        assert!(!step.join_again(Some(101_000), pause, 64));
        assert!(
            step.join_again(Some(111_000), pause, 64),
            "5 ns an item now"
        );
    }

    #[test]
    fn a_holder_that_began_during_the_pause_is_judged_after_the_next() {
        let mut step = StepBack::new();
        for _ in 0..DEAR_CLAIMS {
            step.claimed(Duration::from_nanos(128), Duration::from_nanos(20));
        }
        // The other worker was still running its last claim when this one stepped back.
        step.stepped_back(None);
        let pause = Duration::from_micros(50);
        assert!(!step.join_again(Some(90_000), pause, 64), "no pace yet");
        assert!(!step.join_again(Some(190_000), pause, 64), "0.5 ns an item");
        assert!(step.join_again(None, pause, 64), "it let go");
    }

    #[test]
    fn pauses_double_up_to_the_most_and_start_short_once_sharing_pays() {
        let mut step = StepBack::new();
        let pauses: Vec<Duration> = (0..8).map(|_| step.pause()).collect();
        assert_eq!(pauses[0], MIN_PAUSE);
        assert_eq!(pauses[1], MIN_PAUSE * 2);
        assert!(pauses.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(*pauses.last().unwrap(), MAX_PAUSE);
        step.claimed(Duration::ZERO, Duration::from_micros(1));
        assert_eq!(step.pause(), MIN_PAUSE);
    }

    #[cfg(not(loom))]
    #[test]
    fn slow_iterations_go_one_at_a_time() {
        assert_eq!(next_batch(8, 4, Duration::from_millis(1), 64), 1);
        assert_eq!(next_batch(1, 1, FAST_ITERATION, 64), 1);
    }

    // Under loom, batches double without reading the clock: that rule has its own test.
    #[cfg(not(loom))]
    #[test]
    fn fast_iterations_double_up_to_the_work_and_the_maximum() {
        assert_eq!(next_batch(1, 1, Duration::from_nanos(50), 64), 2);
        assert_eq!(next_batch(32, 32, Duration::from_micros(3), 64), 64);
        assert_eq!(next_batch(64, 64, Duration::from_micros(6), 64), 64);
        // 20 µs per item: 1 ms holds 50 items, not 64.
        assert_eq!(next_batch(64, 64, Duration::from_micros(1280), 64), 50);
        // Indexed inputs may grow far beyond 64.
        assert_eq!(
            next_batch(4096, 4096, Duration::from_micros(4), MAX_INDEX_CHUNK),
            8192
        );
    }

    #[cfg(loom)]
    #[test]
    fn under_loom_batches_double_on_every_claim() {
        assert_eq!(next_batch(1, 1, Duration::from_secs(1), 64), 2);
        assert_eq!(next_batch(32, 32, Duration::ZERO, 48), 48);
    }

    #[test]
    fn one_worker_never_batches() {
        assert_eq!(next_batch(1, 1, Duration::from_nanos(1), 1), 1);
    }

    #[test]
    fn index_chunks_leave_the_tail_to_all_workers() {
        assert_eq!(index_chunk(1000, 1_000_000, 2), 1000);
        assert_eq!(index_chunk(1000, 2000, 2), 500);
        assert_eq!(index_chunk(1000, 3, 2), 1);
        assert_eq!(index_chunk(1, 0, 8), 1);
    }

    #[test]
    fn one_at_a_time_the_limit_is_exactly_the_workers() {
        let mut ahead = Ahead::new();
        assert_eq!(ahead.limit(4), 4);
        assert_eq!(room(ahead.spare(4), 0, ahead.batch), 1);
        ahead.queued = 4;
        assert_eq!(room(ahead.spare(4), 0, ahead.batch), 0);
        let taken = ahead.take(4).unwrap();
        assert_eq!(taken.taken, 1);
        // Taken but not started: still counts.
        assert_eq!(room(ahead.spare(4), 0, ahead.batch), 0);
        ahead.started_one();
        assert_eq!(room(ahead.spare(4), 0, ahead.batch), 1);
        ahead.release(taken, 0);
        assert_eq!(ahead.unstarted(), 3);
    }

    #[test]
    fn batches_stay_below_64_per_worker_counting_the_items_in_hands() {
        for workers in 1..=16 {
            for batch in 2..=MAX_BATCH {
                let mut ahead = Ahead {
                    queued: 0,
                    reserved: 0,
                    batch,
                };
                // Fill to the limit, let every worker take a batch into its hand (or a single
                // item, counted nowhere, about to start), fill again.
                ahead.queued = ahead.limit(workers);
                let (mut in_hands, mut singles) = (0, 0);
                for _ in 0..workers {
                    if let Some(r) = ahead.take(workers) {
                        assert_eq!(r.counted(), 0, "a batch is counted by its hand");
                        if r.taken > 1 {
                            in_hands += r.taken;
                        } else {
                            singles += 1;
                        }
                    }
                }
                ahead.queued += ahead.spare(workers).saturating_sub(in_hands);
                assert_eq!(room(ahead.spare(workers), in_hands, ahead.batch), 0);
                assert!(ahead.queued + in_hands + singles <= MAX_BATCH * workers);
                // An item in a hand starts: one more may be pulled.
                if in_hands > 0 {
                    assert_eq!(room(ahead.spare(workers), in_hands - 1, ahead.batch), 1);
                }
            }
        }
    }

    #[test]
    fn a_cancelled_single_item_is_released_with_its_batch() {
        let mut ahead = Ahead::new();
        ahead.queued = 1;
        let taken = ahead.take(2).unwrap();
        assert_eq!(ahead.reserved, 1);
        ahead.release(taken, 1);
        assert_eq!(ahead.reserved, 0);
    }

    #[test]
    fn workers_share_a_short_queue() {
        let mut ahead = Ahead {
            queued: 10,
            reserved: 0,
            batch: 64,
        };
        assert_eq!(ahead.take(4).unwrap().taken, 3);
        assert_eq!(ahead.queued, 7);
    }
}
