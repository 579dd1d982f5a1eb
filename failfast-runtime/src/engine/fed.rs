//! An iterator that is not `Send`: the run's owner pulls it into a queue (see [`Fed`]).

use super::batch::{self, next_batch, Ahead, Reservation};
use super::ending::{drop_each, resume_first, Payload};
use super::hand::{Claim, Hand, Hands};
use super::source::Source;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::wake::Signal;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// An iterator that is not `Send`: the run's owner pulls it into this queue, at most
/// [`Ahead::limit`] items ahead of the running iterations.
///
/// # Hands
/// A worker takes one item from the queue at a time while iterations are slow, and then it
/// stays counted in [`Ahead::reserved`] until it starts. With batches, a claim moves its
/// items from the queue into the visit's [`Hand`], under the queue's lock: its worker takes
/// them one at a time, and so may any worker that finds the queue empty (as on the shared
/// path, see `shared::Shared`), so that an item never waits behind another one, in the hand
/// of a worker whose item waits (a `Barrier` of `workers`), while a worker is idle. What
/// hands hold counts as pulled and not started: exactly the items in them, as each hand stores
/// its length (no count to release when a claim ends, which a worker whose item waits never
/// reaches).
///
/// The owner has a hand too ([`Fed::stage`]): each item it pulls goes there before it asks
/// for the next, which may wait for that item to be handled (see [`pull`]), and the pull
/// queues them all as it ends. An idle worker that finds the queue empty takes from it as
/// from any hand; while items go out one at a time, what it takes stays counted in
/// [`Ahead::reserved`] until it starts, as an item of the queue does.
///
/// # Who tells the owner there is room
/// The owner waits on the group's signal until [`room`](Fed::room) is not 0. Room is made,
/// and the signal notified after it (see `crate::wake`), when:
/// - an item taken one at a time starts, or its claim ends before it starts;
/// - a worker takes the last item of its hand (the hand's count was stored before): so a
///   worker whose item then waits has told the owner of every item it took;
/// - a worker takes an item from another worker's hand (that hand's count, the same);
/// - a claim takes a single item while batches are larger: it is counted nowhere (the
///   `batch - 1` of [`Ahead::limit`] leaves room for it), so the room is made as it is taken;
/// - a claim ends with items it never started (cancelled), which it drops.
///
/// Room is also made silently:
/// - a worker takes an item from its hand, but not the last: either the hand empties later
///   (and says so), or the item waits, and then the items behind it are in a hand that idle
///   workers take from (and say so), while a worker that is not idle runs an item;
/// - the owner reads the spare room of the queue before a claim and the hands' counts after
///   it, which only reads less room than there is, until the next notification (as above);
/// - batches grow, and the limit with them. No notification follows, and none is needed: the
///   owner only needs room while a worker is idle, and a worker is idle only once it found the
///   queue and every hand empty, which whoever emptied them said. The spare room then read,
///   even under the older batch, is at least `workers` less the items counted one at a time,
///   each of which says so as it starts: the owner has room.
///
/// (A single item claimed while batches are larger was silent too, and the loom model
/// `an_item_the_caller_pulled_is_not_left_waiting_behind_one_that_waits_for_it` deadlocked:
/// the item waited for the next one, which the owner, asleep, never pulled.)
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
    /// `queue.ahead.spare(workers)` as the queue was last unlocked: the owner reads it while it
    /// waits for room without taking the lock, which its workers need. Stored with `Release`
    /// after the hand of a claim counts its items, so an owner that reads the spare left by a
    /// claim reads that hand's count too.
    spare: AtomicUsize,
    /// The hands of the visits taking from this queue (see "Hands" above).
    hands: Hands<T>,
    /// The owner's hand, listed among `hands`: where it puts each item as it pulls it, before
    /// it asks for the next, and from which it queues them all once the pull ends (see
    /// [`pull`]).
    staged: Hand<T>,
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

/// The queue, locked by [`Fed::queue`]; unlocking it publishes the spare room it leaves.
struct Locked<'a, T> {
    queue: MutexGuard<'a, Queue<T>>,
    spare: &'a AtomicUsize,
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
        // Whoever made room notifies the owner after this, and the signal's read-modify-write
        // orders it (see `crate::wake`). `Release`: see `Fed::spare`.
        let spare = self.queue.ahead.spare(self.workers);
        self.spare.store(spare, Ordering::Release);
    }
}

impl<'w, T: Send> Fed<'w, T> {
    pub(crate) fn new(workers: usize, max_batch: usize, room_made: &'w Signal) -> Self {
        let hands = Hands::new();
        let staged = hands.hand();
        Fed {
            queue: Mutex::new(Queue {
                items: VecDeque::new(),
                ahead: Ahead::new(),
            }),
            queued: AtomicUsize::new(0),
            batch: AtomicUsize::new(1),
            spare: AtomicUsize::new(Ahead::new().spare(workers)),
            hands,
            staged,
            closed: AtomicBool::new(false),
            workers,
            max_batch,
            room_made,
        }
    }

    /// How many items the owner may pull now; 0 when it must wait. As of the queue's last
    /// unlocking and the hands' last counts: a batch size changed since may change the real
    /// room by the time the owner pushes, as any room may change between reading and pushing;
    /// either way the queue stays within [`Ahead::limit`] of some batch size, so within the
    /// contract's bound.
    pub(crate) fn room(&self) -> usize {
        let spare = self.spare.load(Ordering::Acquire);
        if spare == 0 {
            return 0;
        }
        batch::room(spare, self.hands.held(), self.batch.load(Ordering::Relaxed))
    }

    /// Puts an item the owner pulled in its hand, before it pulls the next one (see
    /// [`pull`]): a worker that finds the queue empty takes it from there. Returns whether the
    /// hand held none before, so that the owner tells waiting workers: the next `next()` may
    /// wait for this item to be handled.
    pub(crate) fn stage(&self, pulled: T) -> bool {
        self.staged.push(pulled)
    }

    /// Queues what the owner's hand still holds, once the pull has ended: in one batch, which
    /// workers claim in batches.
    pub(crate) fn push_staged(&self) {
        let mut queue = self.queue();
        let staged = self.staged.take_all();
        queue.ahead.queued += staged.len();
        queue.items.extend(staged);
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
            spare: &self.spare,
            workers: self.workers,
        }
    }
}

impl<T: Send> Source for Fed<'_, T> {
    type Item = T;
    type Hand = Option<Hand<T>>;
    type Claimed<'a>
        = FedClaim<'a, T>
    where
        Self: 'a;

    fn max_batch(&self) -> usize {
        self.max_batch
    }

    /// Also while a hand holds items: a thread that is idle, or not started yet, takes them
    /// from a worker whose item is long, or waits for the others (a `Barrier`). The hands'
    /// counts may be stale (see [`Hand::count`]), which costs at most one visit for nothing:
    /// every `true` is acted on with a claim, which takes the lock of every hand, and the
    /// counts its thread reads after that are no older than what it saw there.
    fn has_work(&self) -> bool {
        !self.closed.load(Ordering::Acquire)
            && (self.queued.load(Ordering::Acquire) > 0 || self.hands.held() > 0)
    }

    fn claim<'a>(
        &'a self,
        _want: usize,
        hand: &'a mut Option<Hand<T>>,
        _cancelled: impl Fn() -> bool,
    ) -> Result<Option<FedClaim<'a, T>>, Payload> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut queue = self.queue();
        let Some(reservation) = queue.ahead.take(self.workers) else {
            // The queue is empty: an item may wait in the hand of a worker whose item waits,
            // or in the owner's while it pulls the next. While items go out one at a time, the
            // limit is exactly `workers` unstarted items, with no room for one counted nowhere
            // (see `Ahead::limit`): the item stays counted until it starts, as one taken from
            // the queue, counted before its hand counts it no more (the queue's lock is held),
            // so that the owner never reads room that is not there.
            let counted = queue.ahead.reserve_one();
            let Some(item) = self.hands.steal() else {
                if let Some(counted) = counted {
                    queue.ahead.release(counted, 1);
                }
                return Ok(None);
            };
            drop(queue);
            // That hand counts one item less: room, unless the item is counted.
            self.room_made.notify();
            return Ok(Some(FedClaim::new(self, Claim::one(item), counted)));
        };
        let items = if reservation.taken == 1 {
            let item = queue.items.pop_front().expect("counted in `queued`");
            Claim::one(item)
        } else {
            // Counted by the hand before the queue's unlocking publishes the room left.
            let hand = &*hand.get_or_insert_with(|| self.hands.hand());
            hand.extend(queue.items.drain(..reservation.taken));
            Claim::Hand(hand)
        };
        self.queued.store(queue.ahead.queued, Ordering::Release);
        drop(queue);
        let counted = reservation.until_started.then_some(reservation);
        if counted.is_none() && reservation.taken == 1 {
            // A single item counted nowhere: the room it leaves is made now, and its item
            // may wait for one that the owner has yet to pull.
            self.room_made.notify();
        }
        Ok(Some(FedClaim::new(self, items, counted)))
    }

    fn put_back(&self, hand: Option<Hand<T>>) {
        if let Some(hand) = hand {
            self.hands.put_back(hand);
        }
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

/// Items a worker took from a [`Fed`] queue: one, or a batch in its hand (see "Hands" on
/// [`Fed`]).
pub(crate) struct FedClaim<'a, T> {
    fed: &'a Fed<'a, T>,
    items: Claim<'a, T>,
    /// An item taken one at a time, counted in [`Ahead::reserved`] until it starts.
    counted: Option<Reservation>,
}

impl<'a, T> FedClaim<'a, T> {
    fn new(fed: &'a Fed<'a, T>, items: Claim<'a, T>, counted: Option<Reservation>) -> Self {
        FedClaim {
            fed,
            items,
            counted,
        }
    }
}

impl<T> Iterator for FedClaim<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.items.next()?;
        if self.counted.take().is_some() {
            self.fed.queue().ahead.started_one();
            self.fed.room_made.notify();
        } else if let Claim::Hand(hand) = &self.items {
            // The hand's count, stored before, now says that its worker started every item
            // it took (see "Who tells the owner there is room").
            if hand.count() == 0 {
                self.fed.room_made.notify();
            }
        }
        Some(item)
    }
}

impl<T> Drop for FedClaim<'_, T> {
    fn drop(&mut self) {
        // Taken, never started (the run was cancelled): dropped by `Claim`, one by one, in
        // input order, as a destructor may panic. First, so that the room is counted after.
        let unstarted = match &self.items {
            Claim::One(item) => usize::from(item.is_some()),
            Claim::Hand(hand) => hand.count(),
        };
        let items = std::mem::replace(&mut self.items, Claim::One(None));
        let dropped = catch_unwind(AssertUnwindSafe(|| drop(items)));
        if let Some(reservation) = self.counted {
            self.fed.queue().ahead.release(reservation, unstarted);
        }
        // A claim that ran all its items told the owner as its last one started; one that
        // dropped some makes room now. (Notifying again wakes the owner for nothing, and it
        // then pulls the little room other workers made meanwhile: smaller batches.)
        if unstarted > 0 {
            self.fed.room_made.notify();
        }
        if let Err(payload) = dropped {
            std::panic::resume_unwind(payload);
        }
    }
}

impl<T> Drop for Fed<'_, T> {
    /// Items queued and never claimed (the run ended), then any the owner's hand still holds
    /// (none: every pull queues them as it ends): one by one, see [`drop_each`].
    fn drop(&mut self) {
        let items = std::mem::take(&mut lock(&self.queue).items);
        let staged = self.staged.take_all();
        resume_first(drop_each(items.into_iter().chain(staged)));
    }
}

/// Pulls up to `want` items of `input`, giving each to `stage` as soon as `next()` returns
/// it, until the input ends, `stop()` holds or `stage` returns `false`; returns whether the
/// input ended or `stop()` held, or the payload of a panicking `next()`. One `catch_unwind`
/// per pull, not per item. The owner's pull of a [`Fed`] input (`run.rs`).
///
/// Each item is where workers find it (the owner's hand, see [`Fed::stage`]) before the next
/// `next()`: that call may wait for the item to be handled (a channel whose sender sends a job
/// once the last one is acknowledged, a user answering at a prompt), and an item held back
/// meanwhile would wait for it forever.
pub(crate) fn pull<I: Iterator>(
    input: &mut I,
    want: usize,
    stop: impl Fn() -> bool,
    mut stage: impl FnMut(I::Item) -> bool,
) -> Result<bool, Payload> {
    catch_unwind(AssertUnwindSafe(|| {
        for _ in 0..want {
            if stop() {
                return true;
            }
            match input.next() {
                Some(item) => {
                    if !stage(item) {
                        return false;
                    }
                }
                None => return true,
            }
        }
        false
    }))
}
