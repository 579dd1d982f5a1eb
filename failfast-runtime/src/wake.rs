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
//! One atomic word, `state`, holds both the number of notifications so far (the *epoch*, in
//! its high bits) and the number of sleeping waiters (in its low bits). A waiter loads the
//! epoch *before* it polls, and only sleeps while the epoch still has the value it loaded; a
//! signaller bumps the epoch *after* its change. So a change that the poll missed was
//! followed by a bump that the waiter has not seen yet:
//!
//! 1. The waiter loads `state` (`Acquire`: the poll's reads cannot move before it). If that
//!    load already saw the bump, it synchronizes with the bump's `Release`, and the poll sees
//!    the change.
//! 2. To sleep, the waiter takes `lock`, and adds itself to the sleepers with a read-modify-
//!    write of `state`, which also returns the epoch at that moment. If the epoch has moved,
//!    it takes itself off again and polls anew; otherwise it waits on `condvar` (which
//!    releases `lock` atomically) until the epoch moves.
//! 3. The signaller bumps the epoch with a read-modify-write of `state`, which returns the
//!    number of sleepers at that moment. Only if there is one does it take `lock` and call
//!    `notify_all`.
//!
//! Read-modify-writes of one atomic are totally ordered, whatever their memory orderings.
//! If the waiter's (step 2) comes first, the signaller sees a sleeper and notifies under
//! `lock`, which the waiter holds from its read-modify-write until it is inside `wait`: the
//! notification cannot fall in between. If the signaller's (step 3) comes first, the waiter's
//! read-modify-write returns the new epoch, and it does not sleep. (Keeping both counts in one
//! word is what makes this hold without `SeqCst`, which loom does not model fully.)
//!
//! # Spinning first
//!
//! Sleeping on a condition variable costs a system call to sleep and another to wake, many
//! microseconds: more than most waits of a loop whose iterations take nanoseconds. A waiter
//! therefore spins on the epoch with crossbeam's [`Backoff`] (which ends by yielding the thread)
//! before it sleeps, and `notify` costs a signaller only one atomic add and one load while
//! nobody sleeps. Under loom the spin is left out: a model must not busy-wait. A waiter that
//! means to leave its core to others ([`Wait::Sleep`]: a worker pausing beside one that runs a
//! lazy input alone) sleeps at once; with two threads on one core, its spin would only
//! take turns with the thread it means to leave alone.
//!
//! # Waking ahead
//!
//! A waiter that knows roughly when its change will come ([`Expected`]: the owner of a
//! `while let` loop, whose iterations have taken the same time so far, see
//! `engine/headed.rs`) sleeps until a little before, then spins (yielding its core to any
//! thread that has work) until a little after, polling at each notification, and sleeps
//! again only if the change has not come by then ([`Signal::wait_for_expected`]). Woken from
//! sleep instead, it comes back only once the system has placed it on a core, which took 20 to
//! 30 us on the README's 2-core VM when the threads it waits for had just woken at once; it
//! keeps the protocol above, as every poll follows a load of the epoch.
//!
//! # Asleep or spinning
//!
//! A waiter that spun until its condition held is still on the core it ran on; one that fell
//! asleep is placed on a core anew by the system as it wakes. The pool's idle threads tell
//! the two apart ([`Signal::wait_for_timeout_noting_sleep`]): a thread the system has just
//! placed (new, or woken from sleep for a job) checks that it is not on the core of the
//! thread that started it, which keeps working, and moves if it is (`pool/place.rs`, which
//! also gives the measurement: on the README's 2-core VM, such threads began on their
//! starter's core in most first calls of a process, and shared it for 3 to 20 ms). A thread
//! that spun is left where it is: moving it would cost every warm call two system calls.
//!
//! # A stop from outside
//!
//! A thread loop with a [`StopToken`](crate::StopToken) (or a timeout or deadline, which stop a
//! token of the loop's own from the timer thread of `stop.rs`) has one more signaller: whoever
//! stops the token. Each run lists a waker in the token (`StopRun` in `engine/run.rs`); the
//! stopping thread calls it, and it follows the protocol above like any signaller: it changes
//! the shared state first (the run's cancellation token leaves `LIVE` for `STOPPED`, an atomic
//! compare-and-swap) and then calls [`Signal::notify`] on the run's group. The waiters are the
//! ones already listed: idle pool threads and a recursion's waiting iterations (they poll for
//! runs with work, visit the stopped run, see it cancelled and close it), and the owner (it
//! polls for its run to end), and their wake-ups are not lost, by the argument above. Nor is
//! the stop itself: the token's waiter list has a protocol of its own (in `stop.rs`), by which
//! a waker listed before the stop is called, and a run that lists its waker after the stop
//! sees the token stopped and cancels itself before it is published. Threads running iterations
//! are not woken: they see `cancelled()` when they next look, like after a failure.
//!
//! The stop races the run's finishing, not the owner's waking: the last visitor to leave a
//! run whose input is exhausted settles it under the group's lock before it notifies the
//! owner, so a stop that comes while the owner wakes changes nothing (`engine/ending.rs`).
//!
//! If the OS refused the timer thread, the deadline has no signaller: the owner's wait for its
//! run is then a timed wait that ends at the deadline ([`Signal::wait_for_timeout`]), after
//! which the owner stops the token itself (a signaller as above) and waits on untimed for
//! the visitors to leave.

use crate::sync::{lock, wait, AtomicU64, Condvar, Mutex, Ordering, Padded};
#[cfg(not(loom))]
use crossbeam_utils::Backoff;
use std::time::{Duration, Instant};

/// Yields after crossbeam's `Backoff` is completed, before sleeping: see `spin_while`.
#[cfg(not(loom))]
const EXTRA_YIELDS: u32 = 40;

/// One sleeper, in `state`'s low bits.
const SLEEPER: u64 = 1;
/// One notification, in `state`'s high bits: room for 2^20 sleepers below it.
const EPOCH: u64 = 1 << 20;

fn epoch(state: u64) -> u64 {
    state / EPOCH
}

/// How a wait on a [`Signal`] begins.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait {
    /// Spinning a little first, for a change expected within microseconds.
    Spin,
    /// Asleep at once: the waiter means to leave its core to others for a while, and is woken
    /// early only by a change.
    Sleep,
}

/// When a waiter expects its change: between `from` and `until` (see "Waking ahead").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Expected {
    pub(crate) from: Instant,
    pub(crate) until: Instant,
}

/// A condition that threads wait for and others signal; see the [module docs](self).
pub(crate) struct Signal {
    state: Padded<AtomicU64>,
    lock: Mutex<()>,
    condvar: Condvar,
}

impl Signal {
    pub(crate) fn new() -> Signal {
        Signal {
            state: Padded::new(AtomicU64::new(0)),
            lock: Mutex::new(()),
            condvar: Condvar::new(),
        }
    }

    /// Wakes every waiter, to poll again. Call it after the change it announces.
    ///
    /// Returns whether a waiter was asleep (rather than spinning), and so was woken by the
    /// system, which places it on a core as it does (see "Asleep or spinning").
    pub(crate) fn notify(&self) -> bool {
        let before = self.state.fetch_add(EPOCH, Ordering::AcqRel);
        let slept = before % EPOCH != 0;
        if slept {
            let _lock = lock(&self.lock);
            self.condvar.notify_all();
        }
        slept
    }

    /// The epoch now, loaded before a poll.
    fn seen(&self) -> u64 {
        epoch(self.state.load(Ordering::Acquire))
    }

    /// Polls until `poll` returns `Some`, waiting for a [`notify`](Self::notify) between polls.
    pub(crate) fn wait_for<R>(&self, poll: impl FnMut() -> Option<R>) -> R {
        match self.wait_until(None, Wait::Spin, poll).0 {
            Some(ready) => ready,
            None => unreachable!("a wait without a deadline ends only when `poll` is ready"),
        }
    }

    /// [`wait_for`](Self::wait_for) for a change `expected` in a window: asleep until the
    /// window opens, spinning through it, asleep again after it (see "Waking ahead"); also
    /// returns how long it spun.
    #[cfg_attr(loom, allow(unused_mut))]
    pub(crate) fn wait_for_expected<R>(
        &self,
        expected: Expected,
        mut poll: impl FnMut() -> Option<R>,
    ) -> (R, Duration) {
        #[cfg(not(loom))]
        {
            if let (Some(ready), _) = self.wait_until(Some(expected.from), Wait::Sleep, &mut poll) {
                return (ready, Duration::ZERO);
            }
            let began = Instant::now();
            loop {
                let seen = self.seen();
                if let Some(ready) = poll() {
                    return (ready, began.elapsed());
                }
                // Also while notifications keep coming: the window ends whatever they say.
                if Instant::now() >= expected.until {
                    let spun = began.elapsed();
                    return (self.wait_for(poll), spun);
                }
                while self.seen() == seen && Instant::now() < expected.until {
                    std::thread::yield_now();
                }
            }
        }
        // A model must not busy-wait, nor read the clock.
        #[cfg(loom)]
        {
            let _ = expected;
            (self.wait_for(poll), Duration::ZERO)
        }
    }

    /// [`wait_for`](Self::wait_for), beginning as `begin` says, giving up with `None` once
    /// `timeout` has passed.
    #[cfg(not(loom))]
    pub(crate) fn wait_for_timeout<R>(
        &self,
        begin: Wait,
        timeout: Duration,
        poll: impl FnMut() -> Option<R>,
    ) -> Option<R> {
        self.wait_until(Some(Instant::now() + timeout), begin, poll)
            .0
    }

    /// [`wait_for_timeout`](Self::wait_for_timeout), also saying whether the waiter fell
    /// asleep (see "Asleep or spinning" in the module docs).
    #[cfg(not(loom))]
    pub(crate) fn wait_for_timeout_noting_sleep<R>(
        &self,
        timeout: Duration,
        poll: impl FnMut() -> Option<R>,
    ) -> (Option<R>, bool) {
        self.wait_until(Some(Instant::now() + timeout), Wait::Spin, poll)
    }

    /// The protocol of the module docs, steps 1 and 2, with an optional deadline, spinning
    /// before each sleep unless `begin` says not to; also returns whether it slept.
    fn wait_until<R>(
        &self,
        deadline: Option<Instant>,
        begin: Wait,
        mut poll: impl FnMut() -> Option<R>,
    ) -> (Option<R>, bool) {
        let mut slept = false;
        loop {
            let seen = self.seen();
            if let Some(ready) = poll() {
                return (Some(ready), slept);
            }
            if matches!(begin, Wait::Spin) && self.spin_while(seen) {
                continue;
            }
            let mut guard = lock(&self.lock);
            if epoch(self.state.fetch_add(SLEEPER, Ordering::AcqRel)) == seen {
                slept = true;
                while self.seen() == seen {
                    let Some(deadline) = deadline else {
                        guard = wait(&self.condvar, guard);
                        continue;
                    };
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        self.state.fetch_sub(SLEEPER, Ordering::AcqRel);
                        drop(guard);
                        // One last poll: a notification may have come with the deadline.
                        return (poll(), slept);
                    }
                    guard = self
                        .condvar
                        .wait_timeout(guard, left)
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0;
                }
            }
            self.state.fetch_sub(SLEEPER, Ordering::AcqRel);
        }
    }

    /// Spins while the epoch is still `seen`, for a while; returns whether it moved.
    #[cfg(not(loom))]
    fn spin_while(&self, seen: u64) -> bool {
        let backoff = Backoff::new();
        while !backoff.is_completed() {
            if self.seen() != seen {
                return true;
            }
            backoff.snooze();
        }
        // `Backoff` gives up after a few microseconds. Loops that follow each other closely
        // (`cpu_fixed` in `cargo bench`: an 8-item loop called in a loop) hand their pool
        // threads the next job a little later than that, and a thread asleep by then costs a
        // wake-up of many microseconds on each call; yielding a while longer measured
        // about twice as fast there, at no cost elsewhere: a yielding thread gives its core
        // to any thread that has work.
        for _ in 0..EXTRA_YIELDS {
            if self.seen() != seen {
                return true;
            }
            std::thread::yield_now();
        }
        self.seen() != seen
    }

    #[cfg(loom)]
    fn spin_while(&self, _seen: u64) -> bool {
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
        let got: Option<()> =
            signal.wait_for_timeout(Wait::Spin, Duration::from_millis(20), || None);
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
            let got = signal.wait_for_timeout(Wait::Spin, Duration::from_secs(60), || {
                ready.load(Ordering::Relaxed).then_some(7)
            });
            assert_eq!(got, Some(7));
        });
    }

    /// A change that comes before the window, in it, or after it, is seen; the waiter spins
    /// only while the window is open.
    #[test]
    fn a_change_expected_in_a_window_is_seen_whenever_it_comes() {
        const WINDOW: Duration = Duration::from_millis(5);
        for (change_after, window_after) in [(1, 20), (22, 20), (150, 20), (30, 0)] {
            let signal = Signal::new();
            let ready = AtomicBool::new(false);
            let begin = Instant::now();
            let from = begin + Duration::from_millis(window_after);
            let expected = Expected {
                from,
                until: from + WINDOW,
            };
            let (got, spun) = std::thread::scope(|s| {
                s.spawn(|| {
                    std::thread::sleep(Duration::from_millis(change_after));
                    ready.store(true, Ordering::Relaxed);
                    signal.notify();
                });
                signal.wait_for_expected(expected, || ready.load(Ordering::Relaxed).then_some(7))
            });
            assert_eq!(got, 7);
            // Generous: spinning on past the window would spin until the change, 100 ms more.
            assert!(
                spun < Duration::from_millis(60),
                "spun {spun:?} for a change after {change_after} ms"
            );
            assert!(begin.elapsed() < Duration::from_secs(60), "a lost wake-up");
        }
    }

    #[test]
    fn a_sleeping_wait_is_woken_by_a_notification() {
        let signal = Signal::new();
        let ready = AtomicBool::new(false);
        let begin = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(10));
                ready.store(true, Ordering::Relaxed);
                signal.notify();
            });
            let got = signal.wait_for_timeout(Wait::Sleep, Duration::from_secs(120), || {
                ready.load(Ordering::Relaxed).then_some(7)
            });
            assert_eq!(got, Some(7));
        });
        // Generous: a lost wake-up would sleep the full two minutes.
        assert!(
            begin.elapsed() < Duration::from_secs(60),
            "{:?}",
            begin.elapsed()
        );
    }
}
