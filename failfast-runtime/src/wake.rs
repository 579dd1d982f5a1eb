//! The one wake-up protocol of the engine: [`Signal`].
//!
//! Every wait in the engine is "until some condition on shared state holds": a pool thread
//! waits for items in any run of its group, a loop's owner waits for its run to finish or for
//! room to pull more input, a scope waits for its jobs, an idle thread waits for its next
//! job. Each such wait goes through a [`Signal`], and so does every change that can make a
//! condition true. The protocol is written here once.
//!
//! # Who waits, who signals
//!
//! - A **waiter** calls [`Signal::wait_for`] with a `poll` closure that reads the shared state
//!   and returns `Some` once the condition holds.
//! - A **signaller** first changes the shared state (under its own lock, or with an atomic
//!   write), then calls [`Signal::notify`].
//!
//! # Why no wake-up is lost
//!
//! `epoch` counts notifications. A waiter loads `epoch` *before* it polls; it then only
//! sleeps while `epoch` still has the value it loaded. A signaller bumps `epoch` *after* its
//! change. So a change that the poll missed was followed by a bump the waiter has not seen,
//! and the waiter does not sleep through it:
//!
//! 1. The waiter loads `epoch` (`SeqCst`, which includes `Acquire`: the poll's reads cannot
//!    move before it). If that load already saw the bump, it synchronizes with the bump's
//!    `Release`, and the poll sees the change.
//! 2. To sleep, the waiter takes `lock`, increments `sleepers` (`SeqCst`), and re-reads `epoch`
//!    (`SeqCst`) before each `Condvar::wait`, which releases `lock` atomically.
//! 3. The signaller bumps `epoch` (`SeqCst`), then reads `sleepers` (`SeqCst`). If it sees a
//!    sleeper, it takes `lock` and calls `notify_all`.
//!
//! The four `SeqCst` operations of steps 2 and 3 are in one total order (the store-buffer
//! pattern of Dekker's algorithm): either the signaller's read of `sleepers` comes after the
//! waiter's increment, so it sees the sleeper and notifies under `lock`, which the waiter holds
//! from its re-read until it is inside `wait`; or it comes before, and then the bump comes
//! before the waiter's re-read of `epoch`, which sees it and does not sleep.
//!
//! # Spinning first
//!
//! Sleeping on a condition variable costs a system call to sleep and another to wake, many
//! microseconds: more than most waits of a loop whose iterations take nanoseconds. A waiter
//! therefore spins on `epoch` with crossbeam's [`Backoff`] (which ends by yielding the thread)
//! before it sleeps, and `notify` costs a signaller only one atomic add and one load while
//! nobody sleeps. Under loom the spin is left out: a model must not busy-wait.

use crate::sync::{lock, wait, AtomicUsize, Condvar, Mutex, Ordering};
#[cfg(not(loom))]
use crossbeam_utils::{Backoff, CachePadded};
#[cfg(not(loom))]
use std::time::{Duration, Instant};

/// A condition that threads wait for and others signal; see the [module docs](self).
pub(crate) struct Signal {
    #[cfg(not(loom))]
    epoch: CachePadded<AtomicUsize>,
    #[cfg(loom)]
    epoch: AtomicUsize,
    sleepers: AtomicUsize,
    lock: Mutex<()>,
    condvar: Condvar,
}

impl Signal {
    pub(crate) fn new() -> Signal {
        Signal {
            #[cfg(not(loom))]
            epoch: CachePadded::new(AtomicUsize::new(0)),
            #[cfg(loom)]
            epoch: AtomicUsize::new(0),
            sleepers: AtomicUsize::new(0),
            lock: Mutex::new(()),
            condvar: Condvar::new(),
        }
    }

    /// Wakes every waiter, to poll again. Call it after the change it announces.
    pub(crate) fn notify(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _lock = lock(&self.lock);
            self.condvar.notify_all();
        }
    }

    /// Polls until `poll` returns `Some`, waiting for a [`notify`](Self::notify) between polls.
    pub(crate) fn wait_for<R>(&self, mut poll: impl FnMut() -> Option<R>) -> R {
        loop {
            let seen = self.epoch.load(Ordering::SeqCst);
            if let Some(ready) = poll() {
                return ready;
            }
            if self.spin_while(seen) {
                continue;
            }
            let mut guard = lock(&self.lock);
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            while self.epoch.load(Ordering::SeqCst) == seen {
                guard = wait(&self.condvar, guard);
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// [`wait_for`](Self::wait_for), giving up with `None` once `timeout` has passed.
    #[cfg(not(loom))]
    pub(crate) fn wait_for_timeout<R>(
        &self,
        timeout: Duration,
        mut poll: impl FnMut() -> Option<R>,
    ) -> Option<R> {
        let deadline = Instant::now() + timeout;
        loop {
            let seen = self.epoch.load(Ordering::SeqCst);
            if let Some(ready) = poll() {
                return Some(ready);
            }
            if self.spin_while(seen) {
                continue;
            }
            let mut guard = lock(&self.lock);
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            while self.epoch.load(Ordering::SeqCst) == seen {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    self.sleepers.fetch_sub(1, Ordering::SeqCst);
                    drop(guard);
                    // One last poll: a notification may have come with the deadline.
                    return poll();
                }
                guard = self
                    .condvar
                    .wait_timeout(guard, left)
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .0;
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Spins while `epoch` is still `seen`, for a while; returns whether it changed.
    #[cfg(not(loom))]
    fn spin_while(&self, seen: usize) -> bool {
        let backoff = Backoff::new();
        while !backoff.is_completed() {
            if self.epoch.load(Ordering::Acquire) != seen {
                return true;
            }
            backoff.snooze();
        }
        self.epoch.load(Ordering::Acquire) != seen
    }

    #[cfg(loom)]
    fn spin_while(&self, _seen: usize) -> bool {
        false
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    #[test]
    fn a_change_made_before_notify_is_seen_by_a_sleeping_waiter() {
        for _ in 0..200 {
            let signal = Arc::new(Signal::new());
            let flag = Arc::new(AtomicBool::new(false));
            let waiter = {
                let (signal, flag) = (Arc::clone(&signal), Arc::clone(&flag));
                std::thread::spawn(move || {
                    signal.wait_for(|| flag.load(Ordering::Relaxed).then_some(()));
                })
            };
            flag.store(true, Ordering::Relaxed);
            signal.notify();
            waiter.join().unwrap();
        }
    }

    #[test]
    fn a_timed_wait_gives_up_without_a_notification() {
        let signal = Signal::new();
        let begin = Instant::now();
        let got: Option<()> = signal.wait_for_timeout(Duration::from_millis(20), || None);
        assert!(got.is_none());
        assert!(begin.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn a_timed_wait_returns_what_it_waited_for() {
        let signal = Signal::new();
        let ready = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                ready.store(true, Ordering::Relaxed);
                signal.notify();
            });
            let got = signal.wait_for_timeout(Duration::from_secs(60), || {
                ready.load(Ordering::Relaxed).then_some(7)
            });
            assert_eq!(got, Some(7));
        });
    }
}
