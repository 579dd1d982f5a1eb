//! Once a loop has ended (its first failure, a stop from outside), nothing more is taken from
//! its input: not even the rest of a batch that a worker is pulling of a lazy `Send` input
//! while another worker's item ends the loop. (An input the caller pulls reads the run's end
//! before every item already; `cancelled()` in its `next()`, on the caller, outside the
//! iterations, would not tell this test when the loop ended.)
mod common;

use common::{Path, HANG};
use failfast_runtime::{cancelled, Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The items before `FAST` take about a microsecond each: batches grow to their largest, and
/// no worker steps back from taking them (a batch costs less to take than to run).
const FAST: u64 = 5_000;

/// About a microsecond of work.
fn work() {
    let begin = Instant::now();
    while begin.elapsed() < Duration::from_micros(1) {
        std::hint::spin_loop();
    }
}

/// An input of fast items whose `next()` for the item after `FAST` waits until the loop has
/// ended: the worker pulling it is then in the middle of a batch (the item `FAST` went into
/// its hand just before, and another worker took it from there and ended the loop).
/// `late` counts the `next()` calls after that one that begin once the loop has ended (the
/// call for `FAST + 1` itself may begin after it, if a worker took the item `FAST` and ended
/// the loop before it).
fn input<'a>(late: &'a AtomicUsize) -> impl Iterator<Item = u64> + Send + 'a {
    input_telling(late, &NOBODY)
}

static NOBODY: AtomicBool = AtomicBool::new(false);

/// [`input`], which sets `reached` as the `next()` for the item after `FAST` begins.
fn input_telling<'a>(
    late: &'a AtomicUsize,
    reached: &'a AtomicBool,
) -> impl Iterator<Item = u64> + Send + 'a {
    (0..).inspect(move |&i| {
        if i > FAST + 1 && cancelled() {
            late.fetch_add(1, Ordering::SeqCst);
        }
        if i == FAST + 1 {
            reached.store(true, Ordering::SeqCst);
            // Bounded: if no other worker took the item `FAST` (it may run on this very
            // thread), the loop ends later, and nothing is waited for.
            let waited = Instant::now();
            while !cancelled() && waited.elapsed() < HANG / 10 {
                std::hint::spin_loop();
            }
        }
    })
}

#[derive(Debug, PartialEq)]
enum Ended {
    Failed(u64),
    Stopped,
}

impl From<Stopped> for Ended {
    fn from(_: Stopped) -> Self {
        Ended::Stopped
    }
}

#[test]
fn a_batch_being_pulled_stops_at_the_first_failure() {
    for round in 0..20 {
        let late = AtomicUsize::new(0);
        let result = Path::Shared.try_for_each(input(&late), 4, |i| {
            if i == FAST {
                return Err(Ended::Failed(i));
            }
            work();
            Ok(())
        });
        assert_eq!(result, Err(Ended::Failed(FAST)), "round {round}");
        assert_eq!(
            late.load(Ordering::SeqCst),
            0,
            "round {round}: items were pulled after the failure"
        );
    }
}

#[test]
fn a_batch_being_pulled_stops_at_a_stop_from_outside() {
    for round in 0..20 {
        let late = AtomicUsize::new(0);
        let token = StopToken::new();
        let settings = Loop::new(4).stop(&token);
        let result = Path::Shared.try_for_each_with(input(&late), settings, |i| {
            if i == FAST {
                token.stop();
            }
            work();
            Ok::<(), Ended>(())
        });
        assert_eq!(result, Err(Ended::Stopped), "round {round}");
        assert_eq!(
            late.load(Ordering::SeqCst),
            0,
            "round {round}: items were pulled after the stop"
        );
    }
}

/// The loop's end comes from an enclosing loop, whose other iteration fails while the inner
/// loop's worker is in the middle of a batch.
#[test]
fn a_batch_being_pulled_stops_when_an_enclosing_loop_fails() {
    for round in 0..10 {
        let late = AtomicUsize::new(0);
        let reached = AtomicBool::new(false);
        let result = failfast_runtime::try_for_each([0, 1], 2, |outer| {
            if outer == 0 {
                let waited = Instant::now();
                while !reached.load(Ordering::SeqCst) && waited.elapsed() < HANG {
                    std::thread::sleep(Duration::from_micros(50));
                }
                return Err(Ended::Failed(0));
            }
            Path::Shared.try_for_each(input_telling(&late, &reached), 4, |_| {
                work();
                Ok(())
            })
        });
        assert_eq!(result, Err(Ended::Failed(0)), "round {round}");
        assert_eq!(
            late.load(Ordering::SeqCst),
            0,
            "round {round}: items were pulled after the enclosing loop failed"
        );
    }
}
