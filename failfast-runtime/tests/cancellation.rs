//! Tests 6 and 8: cooperative cancellation, and its inheritance by nested loops.
mod common;

use common::{wait_until, Concurrency, HANG};
use failfast_runtime::{cancelled, try_for_each};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// Test 6: a long iteration that polls `cancelled()` ends early, and queued items never run,
/// so the loop returns long before the work it skipped would have taken.
#[test]
fn polling_iterations_let_the_loop_return_promptly() {
    let long_ones_stopped = AtomicUsize::new(0);
    let queued_ran = AtomicUsize::new(0);
    let all_started = Barrier::new(4);
    let begin = Instant::now();
    let result = try_for_each(0..1_000, 4, |i| {
        if i >= 4 {
            queued_ran.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(10));
            return Ok(());
        }
        all_started.wait();
        if i == 0 {
            return Err("item 0 failed");
        }
        // Would run for a minute; polls instead.
        let long = Instant::now();
        while long.elapsed() < Duration::from_secs(60) {
            if cancelled() {
                long_ones_stopped.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(())
    });
    assert_eq!(result, Err("item 0 failed"));
    assert!(
        begin.elapsed() < Duration::from_secs(10),
        "the loop waited for skipped work"
    );
    assert_eq!(
        long_ones_stopped.load(Ordering::SeqCst),
        3,
        "all three long iterations stopped early"
    );
    assert_eq!(queued_ran.load(Ordering::SeqCst), 0, "no queued item ran");
}

/// `cancelled()` is false outside loops and in a loop that has not failed.
#[test]
fn cancelled_is_false_until_a_failure() {
    assert!(!cancelled());
    let result: Result<(), ()> = try_for_each(0..100, 4, |_| {
        assert!(!cancelled());
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert!(!cancelled());
}

/// Test 8: when the outer loop fails, the inner loops of its running iterations see
/// `cancelled()` and start nothing new, even with an endless input.
#[test]
fn nested_loops_inherit_cancellation() {
    let inner_running = Concurrency::default();
    let inner_saw_cancel = AtomicUsize::new(0);
    let inner_started_after = AtomicUsize::new(0);
    let inner_result = std::sync::Mutex::new(None);
    let outer_failed = AtomicBool::new(false);
    let begin = Instant::now();
    let result = try_for_each(0..2, 2, |outer| {
        if outer == 1 {
            wait_until("the inner loop runs 3 items", || inner_running.now() == 3);
            outer_failed.store(true, Ordering::SeqCst);
            return Err("outer item 1 failed");
        }
        let inner = try_for_each(0u64.., 3, |_| {
            if cancelled() {
                inner_started_after.fetch_add(1, Ordering::SeqCst);
            }
            let _running = inner_running.enter();
            while !cancelled() {
                assert!(
                    begin.elapsed() < HANG,
                    "inner iteration never saw the outer failure"
                );
                std::thread::yield_now();
            }
            assert!(outer_failed.load(Ordering::SeqCst));
            inner_saw_cancel.fetch_add(1, Ordering::SeqCst);
            Ok::<(), &str>(())
        });
        *inner_result.lock().unwrap() = Some(inner);
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    assert!(
        inner_saw_cancel.load(Ordering::SeqCst) >= 3,
        "the running inner iterations saw it"
    );
    let late = inner_started_after.load(Ordering::SeqCst);
    assert!(
        late <= 2,
        "{late} inner iterations started after the outer failure (3 workers)"
    );
    assert!(
        inner_result.into_inner().unwrap().is_none(),
        "an inner loop cut short by its outer loop returns nothing: its iteration ends there"
    );
}

/// A failing inner loop does not cancel the outer one: its error is the iteration's to handle.
#[test]
fn an_inner_failure_stays_inside_its_iteration() {
    let result: Result<(), ()> = try_for_each(0..4, 2, |outer| {
        let inner = try_for_each(0..10, 2, |i| if i == 3 { Err(outer) } else { Ok(()) });
        assert_eq!(inner, Err(outer));
        assert!(!cancelled(), "the outer loop has not failed");
        Ok(())
    });
    assert_eq!(result, Ok(()));
}

/// The outer loop fails while an inner iteration runs and the inner loop's caller waits on a
/// full queue. loom found that if the inner worker then took the next item and left on seeing
/// the cancellation, the caller was never woken; the window is nanoseconds wide, so the model
/// `loom_tests::an_inner_loop_inherits_the_outer_cancellation` is the deterministic check, and
/// this test runs the same path natively.
#[test]
fn an_outer_failure_never_strands_a_waiting_inner_loop() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for round in 0..common::scaled(20) {
            let result = try_for_each(0..2, 2, |outer| {
                if outer == 0 {
                    std::thread::sleep(Duration::from_millis(3));
                    return Err(round);
                }
                let inner = try_for_each(0u64.., 1, |_| {
                    std::thread::sleep(Duration::from_millis(1));
                    Ok::<(), ()>(())
                });
                unreachable!("an endless inner loop returned {inner:?}");
            });
            assert_eq!(result, Err(round));
        }
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(HANG)
        .expect("an inner loop hung after its outer loop failed");
}
