//! Test 7: panics cancel the loop, then resume on the caller with their payload.
mod common;

use common::{wait_until, Concurrency};
use failfast_runtime::{cancelled, try_for_each};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;

#[derive(Debug, PartialEq)]
struct Payload(usize);

fn payload_of(result: std::thread::Result<Result<(), usize>>) -> Payload {
    let payload = result.expect_err("the loop must panic");
    *payload.downcast::<Payload>().expect("the original payload")
}

#[test]
fn a_panicking_iteration_resumes_on_the_caller_after_the_running_ones_end() {
    let running = Concurrency::default();
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        try_for_each(0..100, 4, |i| {
            let _running = running.enter();
            if i == 5 {
                panic_any(Payload(5));
            }
            while i < 3 && !cancelled() {
                std::thread::yield_now();
            }
            Ok(())
        })
    }));
    assert_eq!(
        running.now(),
        0,
        "every iteration finished before the panic resumed"
    );
    assert_eq!(payload_of(unwound), Payload(5));
    working_after_a_panic();
}

#[test]
fn a_panicking_input_resumes_on_the_caller_after_the_running_ones_end() {
    let running = Concurrency::default();
    let input = (0..100).inspect(|&i| {
        if i == 10 {
            panic_any(Payload(10));
        }
    });
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        try_for_each(input, 4, |_| {
            let _running = running.enter();
            std::thread::sleep(std::time::Duration::from_millis(1));
            Ok(())
        })
    }));
    assert_eq!(
        running.now(),
        0,
        "every iteration finished before the panic resumed"
    );
    assert_eq!(payload_of(unwound), Payload(10));
    working_after_a_panic();
}

#[test]
fn a_panic_wins_over_an_earlier_error() {
    let all_running = Barrier::new(2);
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        try_for_each(0..2, 2, |i| {
            all_running.wait();
            if i == 0 {
                return Err(0);
            }
            wait_until("the error is recorded", cancelled);
            panic_any(Payload(1));
        })
    }));
    assert_eq!(payload_of(unwound), Payload(1));
    working_after_a_panic();
}

#[test]
fn the_first_of_several_panics_is_resumed() {
    let all_running = Barrier::new(3);
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        try_for_each(0..3, 3, |i| {
            all_running.wait();
            if i != 0 {
                wait_until("the first panic is recorded", cancelled);
            }
            panic_any(Payload(i));
        })
    }));
    assert_eq!(payload_of(unwound), Payload(0));
}

/// After any panic, the runtime (and its reused threads) works normally.
fn working_after_a_panic() {
    // Enough items for all 8 workers to take some, which under Miri 50 already were (each
    // item costs the interpreter tens of milliseconds: 1,000 took 30-45 s of CI's Miri step,
    // in each of three tests). The promise does not depend on the count.
    let items = if cfg!(miri) { 100 } else { 1000 };
    let ran = AtomicUsize::new(0);
    let result: Result<(), usize> = try_for_each(0..items, 8, |_| {
        ran.fetch_add(1, Ordering::SeqCst);
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert_eq!(ran.into_inner(), items);
}
