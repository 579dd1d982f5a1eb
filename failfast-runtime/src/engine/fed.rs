//! An iterator that is not `Send`: the run's owner pulls it into a queue (see [`Fed`]).

use super::batch::{next_batch, Ahead, Reservation};
use super::ending::{drop_each, resume_first, Payload};
use super::source::Source;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::wake::Signal;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

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
    type Hand = Vec<T>;
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

/// Pulls `input` into `buffer` until it holds `want` items, the input ends or `stop()`
/// holds; returns whether the pull ended early (input ended, or `stop()`), or the payload of
/// a panicking `next()`, with the items pulled before it still in `buffer`. One
/// `catch_unwind` per pull, not per item. The owner's pull of a [`Fed`] input (`run.rs`).
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
