//! A `while let` loop's head, evaluated by the run's owner (see [`Headed`]).

use super::ending::{drop_each, resume_first, Payload};
use super::group::Group;
use super::source::Source;
use crate::sync::{lock, AtomicBool, AtomicUsize, Mutex, Ordering};
use crate::wake::{Expected, Signal};
use std::cell::Cell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

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
        _cancelled: impl Fn() -> bool,
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

/// When a thread of a `while let` run is expected to be free next, from how long the
/// iterations of the head's values have taken so far: the owner sleeps until a little before
/// and spins through it (see "Waking ahead" in `crate::wake`), so that a thread that finishes
/// finds it awake to evaluate the head for it.
///
/// A thread that finishes waits for the owner, which evaluates the head; woken from sleep, the
/// owner came back 20 to 30 us later when the threads had all woken at once (sleeps of the
/// same length end together), where a pool thread that takes its next value itself (rayon's
/// `par_bridge` over a channel) waits for nobody. On `cargo bench --bench compare -- chan_io`
/// (400 jobs of 5 ms, 8 workers) that cost 1 ms of 257.
///
/// Only iterations of a steady length are expected, and only long ones; and the owner opens
/// no window once it has spun an eighth of the loop's time (so it spins about that much at
/// most: the last window may take it past), yielding its core to any thread that has work.
/// Where lengths vary (downloads, most real work) the window's margin grows past an eighth of
/// an iteration, and no window is opened.
pub(crate) struct Rhythm {
    /// When the values still running were handed out, oldest first: one per pool thread.
    handed: VecDeque<Instant>,
    workers: usize,
    /// An iteration's time, from its value's handing out to the next value's for its thread
    /// (so the owner's reaction is in it), in nanoseconds: a moving average...
    mean: u64,
    /// ...and the moving average of how far each time was from it.
    spread: u64,
    samples: usize,
    /// When the first value was handed out, and how long the owner has spun since.
    began: Option<Instant>,
    spun: Cell<Duration>,
}

impl Rhythm {
    /// Iterations shorter than this are not expected: a waiter spins a few microseconds anyway
    /// (see "Spinning first" in `crate::wake`), and a window would cost a larger share.
    const SHORTEST: Duration = Duration::from_millis(1);
    /// How early the window opens and how late it closes, beyond three times the spread: the
    /// owner's timed sleep ends late by the system's timer slack (50 us by default) and its
    /// waking.
    const MARGIN: Duration = Duration::from_micros(100);

    pub(crate) fn new(workers: usize) -> Self {
        Rhythm {
            handed: VecDeque::new(),
            workers,
            mean: 0,
            spread: 0,
            samples: 0,
            began: None,
            spun: Cell::new(Duration::ZERO),
        }
    }

    /// The owner handed a value to a pool thread `now`: with every thread running one already,
    /// the thread is the one of the oldest value, which has finished.
    pub(crate) fn handed_out(&mut self, now: Instant) {
        self.began.get_or_insert(now);
        if self.handed.len() == self.workers {
            if let Some(oldest) = self.handed.pop_front() {
                let took = u64::try_from(now.saturating_duration_since(oldest).as_nanos())
                    .unwrap_or(u64::MAX);
                if self.samples == 0 {
                    self.mean = took;
                } else {
                    // Moving averages over about the last 8 times.
                    let off = took.abs_diff(self.mean);
                    self.spread = self.spread - self.spread / 8 + off / 8;
                    self.mean = self.mean - self.mean / 8 + took / 8;
                }
                self.samples += 1;
            }
        }
        self.handed.push_back(now);
    }

    /// When the next thread is expected to be free, if the iterations have been steady and
    /// the owner has spun less than an eighth of the time until `now`: none before a round of
    /// samples, nor while a thread has no value (the owner is not waiting for one to finish
    /// then).
    pub(crate) fn expected(&self, now: Instant) -> Option<Expected> {
        if self.samples < self.workers || self.handed.len() < self.workers {
            return None;
        }
        let mean = Duration::from_nanos(self.mean);
        let margin = Self::MARGIN + Duration::from_nanos(self.spread.saturating_mul(3));
        if mean < Self::SHORTEST || margin > mean / 8 {
            return None;
        }
        if self.spun.get() > now.saturating_duration_since(self.began?) / 8 {
            return None;
        }
        let at = *self.handed.front()? + mean;
        Some(Expected {
            from: at.checked_sub(margin)?,
            until: at + margin,
        })
    }

    /// The owner's wait for room: awake around the moment it is expected, if it is (see
    /// [`expected`](Self::expected)).
    pub(crate) fn wait_for<R>(&self, signal: &Signal, poll: impl FnMut() -> Option<R>) -> R {
        match self.expected(Instant::now()) {
            Some(expected) => {
                let (ready, spun) = signal.wait_for_expected(expected, poll);
                self.spun(spun);
                ready
            }
            None => signal.wait_for(poll),
        }
    }

    /// The owner spun `spun` in a window.
    fn spun(&self, spun: Duration) {
        self.spun.set(self.spun.get() + spun);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// A rhythm of `workers` threads, each given a value 10 us after the other, then `values`
    /// more, each as the oldest running one finishes after `took(i)`; and the last handing out.
    fn played(
        workers: usize,
        values: usize,
        took: impl Fn(usize) -> Duration,
    ) -> (Rhythm, Instant) {
        let mut rhythm = Rhythm::new(workers);
        let mut running = VecDeque::new();
        let mut now = Instant::now();
        for _ in 0..workers {
            now += Duration::from_micros(10);
            rhythm.handed_out(now);
            running.push_back(now);
        }
        for i in 0..values {
            now = running.pop_front().unwrap() + took(i);
            rhythm.handed_out(now);
            running.push_back(now);
        }
        (rhythm, now)
    }

    const STEADY: Duration = Duration::from_millis(5);

    /// A few microseconds off the steady length, as sleeps are.
    fn about_steady(i: usize) -> Duration {
        STEADY + Duration::from_micros((i % 3) as u64 * 10)
    }

    #[test]
    fn steady_iterations_are_expected_around_the_oldest_ones_end() {
        let (rhythm, now) = played(8, 40, about_steady);
        let oldest = *rhythm.handed.front().unwrap();
        let expected = rhythm.expected(now).expect("steady iterations");
        assert!(expected.from < oldest + STEADY, "{expected:?}");
        assert!(
            expected.until > oldest + STEADY + Duration::from_micros(20),
            "{expected:?}"
        );
        assert!(expected.until - expected.from <= STEADY / 4, "{expected:?}");
    }

    #[test]
    fn nothing_is_expected_before_every_thread_has_finished_once() {
        let (rhythm, now) = played(8, 7, about_steady);
        assert_eq!(rhythm.expected(now), None);
        let (rhythm, now) = played(8, 8, about_steady);
        assert!(rhythm.expected(now).is_some());
    }

    #[test]
    fn iterations_of_varying_lengths_are_not_expected() {
        let (rhythm, now) = played(8, 40, |i| {
            Duration::from_millis(if i % 2 == 0 { 2 } else { 8 })
        });
        assert_eq!(rhythm.expected(now), None);
    }

    #[test]
    fn short_iterations_are_not_expected() {
        let (rhythm, now) = played(8, 40, |_| Duration::from_micros(300));
        assert_eq!(rhythm.expected(now), None);
    }

    #[test]
    fn the_owner_spins_at_most_an_eighth_of_the_loops_time() {
        let (rhythm, now) = played(8, 40, about_steady);
        let began = rhythm.began.unwrap();
        rhythm.spun((now - began) / 10);
        assert!(rhythm.expected(now).is_some());
        rhythm.spun((now - began) / 20);
        assert_eq!(rhythm.expected(now), None);
    }
}
