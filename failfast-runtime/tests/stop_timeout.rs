//! `timeout` and `deadline` stop a loop at that time, as a stopped token does, and say so with
//! `Stopped::timed_out()`.
mod common;

use common::{until_cancelled, Path, HANG};
use failfast_runtime::{Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

/// How late a loop may return after its time: generous, as other programs share the machine;
/// a loop that waited for its iterations to end on their own would take [`HANG`].
const LATE: Duration = Duration::from_secs(5);

#[test]
fn a_timeout_stops_iterations_that_wait_for_it_on_every_path() {
    for path in Path::ALL {
        let timeout = Duration::from_millis(40);
        let begin = Instant::now();
        let result: Result<(), Stopped> =
            path.try_for_each_with(0..10_000, Loop::new(4).timeout(timeout), |_| {
                // `cancelled()` turns true at the deadline: nobody else ends the iteration.
                until_cancelled();
                Ok(())
            });
        let took = begin.elapsed();
        assert_eq!(result, Err(Stopped::timeout()), "{path:?}");
        assert!(result.unwrap_err().timed_out());
        assert!(took >= timeout, "{path:?}: returned after {took:?}");
        assert!(took < timeout + LATE, "{path:?}: returned after {took:?}");
    }
}

#[test]
fn a_deadline_stops_short_iterations_and_nothing_starts_after_it() {
    let deadline = Instant::now() + Duration::from_millis(30);
    let started_after = AtomicUsize::new(0);
    let result = Loop::new(3).deadline(deadline).try_for_each(0.., |_| {
        if failfast_runtime::cancelled() {
            started_after.fetch_add(1, SeqCst);
        }
        std::thread::sleep(Duration::from_millis(1));
        Ok::<(), std::io::Error>(())
    });
    let error = result.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    assert!(Instant::now() >= deadline);
    // At most `workers - 1` were starting as the deadline came.
    assert!(started_after.into_inner() <= 2);
}

#[test]
fn a_deadline_already_passed_runs_nothing() {
    for path in Path::ALL {
        let ran = AtomicUsize::new(0);
        let result: Result<(), Stopped> = path.try_for_each_with(
            0..10,
            Loop::new(2).deadline(Instant::now() - Duration::from_millis(1)),
            |_| {
                ran.fetch_add(1, SeqCst);
                Ok(())
            },
        );
        assert_eq!(result, Err(Stopped::timeout()), "{path:?}");
        assert_eq!(ran.into_inner(), 0);
    }
}

#[test]
fn a_loop_that_finishes_before_its_timeout_succeeds_at_once() {
    let begin = Instant::now();
    let result: Result<(), Stopped> = Loop::new(4).timeout(HANG).try_for_each(0..100, |_| Ok(()));
    assert_eq!(result, Ok(()));
    assert!(begin.elapsed() < HANG, "the loop waited for its timeout");
}

#[test]
fn a_timeout_stops_the_loop_not_the_callers_token() {
    let token = StopToken::new();
    let result: Result<(), Stopped> = Loop::new(2)
        .stop(&token)
        .timeout(Duration::from_millis(5))
        .try_for_each(0.., |_| {
            until_cancelled();
            Ok(())
        });
    assert_eq!(result, Err(Stopped::timeout()));
    // The deadline stopped a token of the loop's own, a child of the caller's.
    assert!(!token.is_stopped());
}

#[test]
fn a_token_stopped_before_the_timeout_says_it_was_not_a_timeout() {
    let token = StopToken::new();
    let begin = Instant::now();
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(5));
            token.stop();
        });
        Loop::new(2)
            .stop(&token)
            .timeout(HANG)
            .try_for_each(0.., |_| {
                until_cancelled();
                Ok(())
            })
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert!(begin.elapsed() < HANG);
}

#[test]
fn a_builder_reused_counts_its_timeout_from_each_start() {
    let timed = Loop::new(2).timeout(Duration::from_millis(30));
    for _ in 0..2 {
        let begin = Instant::now();
        let result: Result<(), Stopped> = timed.try_for_each(0.., |_| {
            until_cancelled();
            Ok(())
        });
        assert_eq!(result, Err(Stopped::timeout()));
        assert!(begin.elapsed() >= Duration::from_millis(30));
    }
}
