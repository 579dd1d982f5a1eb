//! First exit wins, the stop included: a failure recorded before the stop is returned; failures
//! after it (often caused by it) are dropped; a panic wins over all.
mod common;

use common::{scaled, until_cancelled, Gate, Path};
use failfast_runtime::{Loop, StopToken, Stopped};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// A user's error type with a variant for the stop.
#[derive(Debug, PartialEq)]
enum Error {
    Failed(usize),
    SawCancel,
    Stopped(Stopped),
}

impl From<Stopped> for Error {
    fn from(stopped: Stopped) -> Error {
        Error::Stopped(stopped)
    }
}

#[test]
fn a_failure_recorded_before_the_stop_is_what_the_loop_returns() {
    for path in Path::ALL {
        let token = StopToken::new();
        let result = path.try_for_each_with(0..1_000, Loop::new(4).stop(&token), |i| {
            if i == 0 {
                return Err(Error::Failed(0));
            }
            // `cancelled()` is true once the failure is recorded: the stop comes after it.
            until_cancelled();
            token.stop();
            Ok(())
        });
        assert_eq!(result, Err(Error::Failed(0)), "{path:?}");
    }
}

#[test]
fn failures_of_iterations_that_saw_the_stop_are_dropped() {
    for path in Path::ALL {
        for _ in 0..scaled(20) {
            let token = StopToken::new();
            let first = Gate::default();
            let result = std::thread::scope(|s| {
                s.spawn(|| {
                    first.wait();
                    token.stop();
                });
                path.try_for_each_with(0..1_000, Loop::new(4).stop(&token), |_| {
                    first.open();
                    until_cancelled();
                    // Caused by the stop: the peers' pitfall is to report this instead.
                    Err(Error::SawCancel)
                })
            });
            assert_eq!(result, Err(Error::Stopped(Stopped::by_token())), "{path:?}");
        }
    }
}

#[test]
fn a_timeout_wins_over_the_failures_it_causes() {
    let result = Loop::new(3)
        .timeout(std::time::Duration::from_millis(10))
        .try_for_each(0.., |_| {
            until_cancelled();
            Err(Error::SawCancel)
        });
    assert_eq!(result, Err(Error::Stopped(Stopped::timeout())));
}

#[test]
fn a_panic_during_the_stop_wins() {
    for path in Path::ALL {
        let token = StopToken::new();
        let first = Gate::default();
        let panicked = AtomicUsize::new(0);
        let outcome = std::thread::scope(|s| {
            s.spawn(|| {
                first.wait();
                token.stop();
            });
            catch_unwind(AssertUnwindSafe(|| {
                path.try_for_each_with(0..1_000usize, Loop::new(4).stop(&token), |i| {
                    first.open();
                    until_cancelled();
                    if panicked.fetch_add(1, SeqCst) == 0 {
                        panic_any(i);
                    }
                    Ok::<(), Error>(())
                })
            }))
        });
        let payload = outcome.expect_err("the panic resumes on the caller");
        assert!(
            payload.is::<usize>(),
            "{path:?}: the iteration's own payload"
        );
    }
}
