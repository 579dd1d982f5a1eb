//! Where a worker keeps the items it claimed and has not started: its [`Hand`], which an idle
//! worker may take from. An item a worker took in a batch then never waits behind another
//! one while a worker has nothing to do, which iterations that wait for each other (a
//! `Barrier` of `workers`) need. Used by the claims of a lazy `Send` input (`shared.rs`) and
//! of an input the caller pulls (`fed.rs`).

use super::ending::{drop_each, resume_first};
use crate::sync::{lock, Arc, AtomicUsize, Mutex, Ordering, Padded};
use std::collections::VecDeque;

/// A worker's claimed items: it takes them one at a time from the front, and so may any
/// worker that finds nothing else to take. A lock of its own, which only its worker takes
/// while nobody is idle: its line stays in that worker's cache. (A locked queue: crossbeam's
/// work-stealing deque costs one atomic write an item less, but Miri refuses its memory
/// reclamation, and loom cannot see into it.)
pub(crate) struct Hand<T>(Arc<Held<T>>);

struct Held<T> {
    items: Mutex<VecDeque<T>>,
    /// `items.len()`, stored under the lock (`Release`) at every change: a caller pulling
    /// ahead counts what the hands hold without taking their locks ([`Hands::held`]). On a
    /// line of its own, so that those reads leave the lock's line in its worker's cache.
    len: Padded<AtomicUsize>,
}

impl<T> Hand<T> {
    fn new() -> Self {
        Hand(Arc::new(Held {
            items: Mutex::new(VecDeque::new()),
            len: Padded::new(AtomicUsize::new(0)),
        }))
    }

    /// The same hand, for [`Hands`].
    fn share(&self) -> Self {
        Hand(Arc::clone(&self.0))
    }

    /// Puts `item` in; returns whether the hand held none before.
    pub(crate) fn push(&self, item: T) -> bool {
        let mut items = lock(&self.0.items);
        items.push_back(item);
        self.0.len.store(items.len(), Ordering::Release);
        items.len() == 1
    }

    /// Everything the hand holds, in order, under one lock.
    pub(crate) fn take_all(&self) -> VecDeque<T> {
        let mut items = lock(&self.0.items);
        let all = std::mem::take(&mut *items);
        self.0.len.store(0, Ordering::Release);
        all
    }

    /// Puts `new` items in, in order, under one lock.
    pub(crate) fn extend(&self, new: impl Iterator<Item = T>) {
        let mut items = lock(&self.0.items);
        items.extend(new);
        self.0.len.store(items.len(), Ordering::Release);
    }

    pub(crate) fn pop(&self) -> Option<T> {
        let mut items = lock(&self.0.items);
        let item = items.pop_front()?;
        self.0.len.store(items.len(), Ordering::Release);
        Some(item)
    }

    /// Items in the hand, as last stored: what a caller pulling ahead counts. A thread may read
    /// an older count than another's last store (never one older than its own, nor than what
    /// it last saw under the hand's lock). A wait that polls for an item to take without ever
    /// taking the lock (the shared path's wait for the puller) asks the lock instead
    /// ([`Hands::any_held`]): on a stale count it would look again and again for an item that
    /// is gone.
    pub(crate) fn count(&self) -> usize {
        self.0.len.load(Ordering::Acquire)
    }

    fn is_empty(&self) -> bool {
        lock(&self.0.items).is_empty()
    }
}

/// Every hand of a source's visits.
pub(crate) struct Hands<T>(Mutex<Listed<T>>);

struct Listed<T> {
    /// Each hand made, to take from it.
    all: Vec<Hand<T>>,
    /// Hands whose visits ended (empty), for the next visits: there are never more hands than
    /// visits at once.
    free: Vec<Hand<T>>,
}

impl<T> Hands<T> {
    pub(crate) fn new() -> Self {
        Hands(Mutex::new(Listed {
            all: Vec::new(),
            free: Vec::new(),
        }))
    }

    /// A hand for a visit: one that an ended visit gave back, or a new one, listed.
    pub(crate) fn hand(&self) -> Hand<T> {
        let mut listed = lock(&self.0);
        listed.free.pop().unwrap_or_else(|| {
            let hand = Hand::new();
            listed.all.push(hand.share());
            hand
        })
    }

    /// A visit ended: its hand, empty, is for the next.
    pub(crate) fn put_back(&self, hand: Hand<T>) {
        lock(&self.0).free.push(hand);
    }

    /// Whether some hand holds items.
    pub(crate) fn any_held(&self) -> bool {
        lock(&self.0).all.iter().any(|hand| !hand.is_empty())
    }

    /// How many items the hands hold, as their workers last stored it: each hand's count is
    /// stored before the lock that changed it is released.
    pub(crate) fn held(&self) -> usize {
        lock(&self.0).all.iter().map(Hand::count).sum()
    }

    /// An item from some hand, if one has any.
    pub(crate) fn steal(&self) -> Option<T> {
        lock(&self.0).all.iter().find_map(Hand::pop)
    }
}

/// Items a worker claimed into its hand, or a single item: those it did not start are dropped
/// one by one (see [`drop_each`]).
pub(crate) enum Claim<'a, T> {
    /// In the worker's hand, where an idle worker may take them too.
    Hand(&'a Hand<T>),
    /// One item: pulled on its own, or taken from another worker's hand.
    One(Option<T>),
}

impl<T> Claim<'_, T> {
    pub(crate) fn one(item: T) -> Self {
        Claim::One(Some(item))
    }
}

impl<T> Iterator for Claim<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Claim::Hand(hand) => hand.pop(),
            Claim::One(item) => item.take(),
        }
    }
}

impl<T> Drop for Claim<'_, T> {
    fn drop(&mut self) {
        resume_first(drop_each(self.by_ref()));
        // A type without drop glue is left to the caller by `drop_each`: the hand must still
        // be empty for the visit's next claim.
        for _ in self.by_ref() {}
    }
}
