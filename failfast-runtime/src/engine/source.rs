//! Where a run's items come from, and how a worker takes them.
//!
//! - [`Shared`]: a `Send` iterator, pulled under a lock by whichever worker is free, in batches
//!   while iterations are fast.
//! - [`Indexed`](super::indexed::Indexed): a range, slice or `Vec`, split by claiming index
//!   ranges with one atomic add.
//! - [`Fed`]: an iterator that is not `Send`: only the run's owner pulls it, into a queue that
//!   the workers take from, at most [`Ahead::limit`] items ahead of the running iterations.

use super::batch::{next_batch, Ahead, Reservation};
use super::ending::Payload;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, Ordering};
use crate::wake::Signal;
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
}

/// A `Send` iterator that every worker pulls from.
pub(crate) struct Shared<I> {
    input: Mutex<I>,
    /// The input is exhausted, panicked, or the run was cancelled.
    done: AtomicBool,
    max_batch: usize,
}

impl<I: Iterator + Send> Shared<I> {
    pub(crate) fn new(input: I, max_batch: usize) -> Self {
        Shared {
            input: Mutex::new(input),
            done: AtomicBool::new(false),
            max_batch,
        }
    }
}

impl<I: Iterator + Send> Source for Shared<I> {
    type Item = I::Item;
    type Claimed<'a>
        = std::vec::Drain<'a, I::Item>
    where
        I: 'a;

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
        if self.done.load(Ordering::Acquire) {
            return Ok(None);
        }
        let mut input = lock(&self.input);
        if self.done.load(Ordering::Acquire) {
            return Ok(None);
        }
        match pull(&mut *input, buffer, want, || false) {
            Ok(exhausted) => {
                if exhausted {
                    self.done.store(true, Ordering::Release);
                }
            }
            Err(payload) => {
                // An iterator that panicked is not asked again.
                self.done.store(true, Ordering::Release);
                drop(input);
                buffer.clear();
                return Err(payload);
            }
        }
        drop(input);
        Ok((!buffer.is_empty()).then(|| buffer.drain(..)))
    }

    fn close(&self) {
        self.done.store(true, Ordering::Release);
    }
}

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

impl<'w, T: Send> Fed<'w, T> {
    pub(crate) fn new(workers: usize, max_batch: usize, room_made: &'w Signal) -> Self {
        Fed {
            queue: Mutex::new(Queue {
                items: VecDeque::new(),
                ahead: Ahead::new(),
            }),
            queued: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            workers,
            max_batch,
            room_made,
        }
    }

    /// How many items the owner may pull now; 0 when it must wait.
    pub(crate) fn room(&self) -> usize {
        lock(&self.queue).ahead.room(self.workers)
    }

    /// Queues what the owner pulled.
    pub(crate) fn push(&self, pulled: &mut Vec<T>) {
        let mut queue = lock(&self.queue);
        queue.ahead.queued += pulled.len();
        queue.items.extend(pulled.drain(..));
        self.queued.store(queue.ahead.queued, Ordering::Release);
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
        let mut queue = lock(&self.queue);
        let Some(reservation) = queue.ahead.take(self.workers) else {
            return Ok(None);
        };
        buffer.extend(queue.items.drain(..reservation.taken));
        self.queued.store(queue.ahead.queued, Ordering::Release);
        drop(queue);
        Ok(Some(FedClaim {
            fed: self,
            items: buffer.drain(..),
            reservation,
            started: 0,
        }))
    }

    fn finished(&self, items: usize, ran_for: Duration) {
        let mut queue = lock(&self.queue);
        queue.ahead.batch = next_batch(queue.ahead.batch, items, ran_for, self.max_batch);
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }
}

/// Items a worker took from a [`Fed`] queue.
pub(crate) struct FedClaim<'a, T> {
    fed: &'a Fed<'a, T>,
    items: std::vec::Drain<'a, T>,
    reservation: Reservation,
    started: usize,
}

impl<T> Iterator for FedClaim<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.items.next()?;
        self.started += 1;
        if self.reservation.until_started {
            lock(&self.fed.queue).ahead.started_one();
            self.fed.room_made.notify();
        }
        Some(item)
    }
}

impl<T> Drop for FedClaim<'_, T> {
    fn drop(&mut self) {
        let unstarted = self.reservation.taken - self.started;
        lock(&self.fed.queue)
            .ahead
            .release(self.reservation, unstarted);
        self.fed.room_made.notify();
        // Taken, never started: dropped last, as a destructor may panic.
        self.items.by_ref().for_each(drop);
    }
}
