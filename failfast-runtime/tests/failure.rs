//! Which failure the loop returns, and what happens to the others.
mod common;

use common::{wait_until, DropLog};
use failfast_runtime::{cancelled, try_for_each};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

/// Test 1: the first failure is returned; the failures of iterations that were already
/// running are dropped (their destructors run), not returned and not leaked.
#[test]
fn first_failure_is_returned_and_later_ones_are_dropped() {
    let log = Arc::new(DropLog::default());
    let all_running = Barrier::new(4);
    let result = try_for_each(0..4, 4, |i| {
        all_running.wait();
        if i == 2 {
            return Err(log.track(i));
        }
        // The other three fail too, but only after the loop has failed.
        while !cancelled() {
            std::thread::yield_now();
        }
        Err(log.track(i))
    });
    let error = result.expect_err("the loop must fail");
    assert_eq!(error.value, 2, "the first failure in time is returned");
    assert_eq!(log.created(), 4, "all four iterations failed");
    assert_eq!(log.dropped(), 3, "the three later failures are dropped");
    drop(error);
    assert_eq!(log.dropped(), 4);
}

/// The error type needs no `Clone` or `Debug`, and `Option<()>` loops work the same way.
#[test]
fn option_loops_stop_at_the_first_none() {
    let started = AtomicUsize::new(0);
    let result = try_for_each(0..1000, 1, |i| {
        started.fetch_add(1, Ordering::SeqCst);
        (i != 10).then_some(())
    });
    assert_eq!(result, None);
    assert_eq!(
        started.load(Ordering::SeqCst),
        11,
        "nothing runs after the failure with 1 worker"
    );
}

#[test]
fn a_loop_without_failures_runs_every_item_once() {
    let seen: Vec<AtomicUsize> = (0..500).map(|_| AtomicUsize::new(0)).collect();
    let result: Result<(), ()> = try_for_each(0..500, 7, |i| {
        seen[i].fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert!(seen.iter().all(|n| n.load(Ordering::SeqCst) == 1));
}

#[test]
fn an_empty_input_succeeds_without_running_anything() {
    let result: Result<(), ()> = try_for_each(std::iter::empty::<u8>(), 4, |_| unreachable!());
    assert_eq!(result, Ok(()));
}

/// Items still queued when the loop fails never run; the ones already running finish.
#[test]
fn queued_items_never_run_after_a_failure() {
    let ran = AtomicUsize::new(0);
    let result = try_for_each(0..100, 2, |i| {
        ran.fetch_add(1, Ordering::SeqCst);
        if i == 0 {
            return Err("zero");
        }
        // Started before the failure: finish once it is recorded.
        wait_until("the loop fails", cancelled);
        Ok(())
    });
    assert_eq!(result, Err("zero"));
    let ran = ran.load(Ordering::SeqCst);
    assert!(
        ran <= 3,
        "{ran} ran: more than the two first items and one racing start"
    );
}
