//! A `while let` loop's head, evaluated by the run's owner (see [`Headed`]).

use super::ending::{drop_each, resume_first, Payload};
use super::group::Group;
use super::source::Source;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, Ordering};
use std::collections::VecDeque;

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
    type Hand = ();
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
        _hand: &'a mut (),
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
