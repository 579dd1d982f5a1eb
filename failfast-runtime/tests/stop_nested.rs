//! A stop reaches loops nested in the stopped loop's iterations (`cancelled()` is true there,
//! and they start nothing new), and a stop on the outermost run of a recursion stops the whole
//! walk.
mod common;

use common::{until_cancelled, Gate};
use failfast_runtime::{Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

#[test]
fn a_loop_nested_in_a_stopped_loop_is_cancelled_and_starts_nothing_new() {
    let token = StopToken::new();
    let inner_running = Gate::default();
    let inner_saw_cancel = AtomicUsize::new(0);
    let inner_started = AtomicUsize::new(0);
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            inner_running.wait();
            token.stop();
        });
        Loop::new(2).stop(&token).try_for_each(0..2, |_| {
            // A loop of its own (another call site, no token): it inherits the stop.
            failfast_runtime::try_for_each(0..1_000, 2, |_| {
                inner_started.fetch_add(1, SeqCst);
                inner_running.open();
                until_cancelled();
                inner_saw_cancel.fetch_add(1, SeqCst);
                Ok::<(), ()>(())
            })
            .map_err(|()| unreachable!("the inner loop never fails"))
        })
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(
        inner_saw_cancel.load(SeqCst),
        inner_started.load(SeqCst),
        "every inner iteration ended by seeing cancelled()"
    );
    // Two inner loops of two workers: at most 2 running and 1 racing each.
    assert!(inner_started.into_inner() <= 6);
}

/// A walk of a complete tree of `fanout` children per node, `depth` levels deep, one loop at
/// every level, sharing the outermost run's limit; the outermost run alone has the token.
fn walk(
    depth: u32,
    fanout: usize,
    stop: Option<&StopToken>,
    visited: &AtomicUsize,
    halfway: &Gate,
    total: usize,
) -> Result<(), Stopped> {
    let visit = |_| {
        if visited.fetch_add(1, SeqCst) + 1 == total / 2 {
            halfway.open();
        }
        if depth > 1 {
            walk(depth - 1, fanout, None, visited, halfway, total)?;
        } else {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        Ok(())
    };
    match stop {
        Some(token) => Loop::new(2).stop(token).try_for_each(0..fanout, visit),
        None => Loop::new(2).try_for_each(0..fanout, visit),
    }
}

#[test]
fn a_stop_on_the_outermost_run_stops_the_whole_recursive_walk() {
    // Nodes below the root: 6 + 36 + 216 + 1296; under Miri, which interprets every
    // instruction, 3 + 9 + 27.
    let (depth, fanout): (u32, usize) = if cfg!(miri) { (3, 3) } else { (4, 6) };
    let total: usize = (1..=depth).map(|d| fanout.pow(d)).sum();
    let token = StopToken::new();
    let visited = AtomicUsize::new(0);
    let halfway = Gate::default();
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            halfway.wait();
            token.stop();
        });
        walk(depth, fanout, Some(&token), &visited, &halfway, total)
    });
    assert_eq!(result, Err(Stopped::by_token()));
    let visited = visited.into_inner();
    assert!(
        visited >= total / 2 && visited < total,
        "{visited} of {total} nodes visited"
    );
}
