//! What a stopped loop returns: `Err(Stopped)` converted with `From` (`io::Error` with the kind
//! `Interrupted` or `TimedOut`, an enum with a variant for it), `None` for `Option`; `try_map`
//! likewise.
mod common;

use common::{until_cancelled, Gate};
use failfast_runtime::{Loop, StopToken, Stoppable, Stopped};
use std::io;
use std::time::Duration;

/// Runs an endless loop of iterations that end only when cancelled, with `settings`, and
/// stops `token` once one runs.
fn stopped_loop<R>(
    token: &StopToken,
    settings: Loop<'_, Stoppable>,
    outcome: impl Fn() -> R + Sync,
) -> R
where
    R: failfast_runtime::Outcome<Failure: Send> + failfast_runtime::FromStopped,
{
    let first = Gate::default();
    std::thread::scope(|s| {
        s.spawn(|| {
            first.wait();
            token.stop();
        });
        settings.try_for_each(0.., |_| {
            first.open();
            until_cancelled();
            outcome()
        })
    })
}

#[test]
fn an_io_error_says_interrupted_for_a_token_and_timed_out_for_a_timeout() {
    let token = StopToken::new();
    let error = stopped_loop(
        &token,
        Loop::new(2).stop(&token),
        || Ok::<(), io::Error>(()),
    )
    .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::Interrupted);
    let inner = error.get_ref().and_then(|e| e.downcast_ref::<Stopped>());
    assert_eq!(inner, Some(&Stopped::by_token()));

    let error = Loop::new(2)
        .timeout(Duration::from_millis(5))
        .try_for_each(0.., |_| {
            until_cancelled();
            Ok::<(), io::Error>(())
        })
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    assert_eq!(error.to_string(), "the loop timed out");
}

#[test]
fn an_option_loop_returns_none() {
    let token = StopToken::new();
    assert_eq!(
        stopped_loop(&token, Loop::new(3).stop(&token), || Some(())),
        None
    );
}

#[test]
fn a_boxed_error_holds_the_stop() {
    type BoxError = Box<dyn std::error::Error + Send + Sync>;
    let token = StopToken::new();
    let error =
        stopped_loop(&token, Loop::new(2).stop(&token), || Ok::<(), BoxError>(())).unwrap_err();
    assert_eq!(error.downcast_ref::<Stopped>(), Some(&Stopped::by_token()));
    assert_eq!(error.to_string(), "the loop was stopped");
}

#[test]
fn try_map_returns_the_stop_or_every_value_in_order() {
    let token = StopToken::new();
    let values = Loop::new(4)
        .stop(&token)
        .try_map(0..100, |i| Ok::<_, Stopped>(i * 2));
    assert_eq!(values, Ok((0..100).map(|i| i * 2).collect::<Vec<_>>()));

    let first = Gate::default();
    let stopped = std::thread::scope(|s| {
        s.spawn(|| {
            first.wait();
            token.stop();
        });
        Loop::new(4).stop(&token).try_map(0.., |i| {
            first.open();
            until_cancelled();
            Ok::<_, io::Error>(i)
        })
    });
    assert_eq!(stopped.unwrap_err().kind(), io::ErrorKind::Interrupted);
}

#[test]
fn stopped_is_a_cloneable_comparable_error_that_crosses_threads() {
    fn error<E: std::error::Error + Clone + PartialEq + Send + Sync + 'static>(_: &E) {}
    let stopped = Stopped::timeout();
    error(&stopped);
    assert_eq!(stopped.clone(), Stopped::timeout());
    assert_ne!(stopped, Stopped::by_token());
    assert_eq!(format!("{stopped:?}"), "Stopped { timed_out: true }");
}
