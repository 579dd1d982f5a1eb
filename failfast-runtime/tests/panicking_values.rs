//! A `try_map` value whose `Drop` panics, dropped by the loop (the values mapped before a
//! failure, or while another iteration's panic unwinds), never aborts the process, and the
//! first panic's payload is the one resumed: in thread loops and in async loops.
//!
//! Sequentially, dropping a `Vec` that holds two such values aborts (std's drop glue): the
//! loop drops the values it collected one by one instead, as it drops items.
mod common;

use common::poll_to_end;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The payloads of the injected panics, kept quiet.
fn quiet() {
    common::quiet_panics(&["drop of value", "iteration"]);
}

fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    *payload.downcast::<String>().expect("an injected panic")
}

/// A mapped value whose `Drop` panics; counts its drops.
struct Value<'a> {
    n: usize,
    dropped: &'a AtomicUsize,
}

impl Drop for Value<'_> {
    fn drop(&mut self) {
        self.dropped.fetch_add(1, Ordering::SeqCst);
        panic!("drop of value {} panicked", self.n);
    }
}

/// Maps 0, 1 to values and fails at 2; with one worker both values are made before the
/// failure, so both are dropped by the loop.
fn fails_at_two(n: usize, dropped: &AtomicUsize) -> Result<Value<'_>, usize> {
    if n == 2 {
        Err(n)
    } else {
        Ok(Value { n, dropped })
    }
}

/// Maps 0 to a value and panics at 1.
fn panics_at_one(n: usize, dropped: &AtomicUsize) -> Result<Value<'_>, usize> {
    if n == 1 {
        panic!("iteration {n} panicked");
    }
    Ok(Value { n, dropped })
}

#[test]
fn values_mapped_before_a_failure_resume_their_first_panic_in_a_thread_loop() {
    quiet();
    for input in ["indexed", "fed"] {
        let dropped = AtomicUsize::new(0);
        let result = catch_unwind(AssertUnwindSafe(|| match input {
            "indexed" => failfast_runtime::try_map(0..3, 1, |n| fails_at_two(n, &dropped)),
            _ => {
                failfast_runtime::try_map((0..3).filter(|_| true), 1, |n| fails_at_two(n, &dropped))
            }
        }));
        let payload = result.err().expect("a dropped value panicked");
        assert!(message(payload).starts_with("drop of value"), "{input}");
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            2,
            "{input}: every value dropped once"
        );
    }
}

#[test]
fn a_value_dropped_while_an_iteration_panics_does_not_replace_its_panic_in_a_thread_loop() {
    quiet();
    for input in ["indexed", "fed"] {
        let dropped = AtomicUsize::new(0);
        let result = catch_unwind(AssertUnwindSafe(|| match input {
            "indexed" => failfast_runtime::try_map(0..3, 1, |n| panics_at_one(n, &dropped)),
            _ => failfast_runtime::try_map((0..3).filter(|_| true), 1, |n| {
                panics_at_one(n, &dropped)
            }),
        }));
        let payload = result.err().expect("iteration 1 panicked");
        assert_eq!(message(payload), "iteration 1 panicked", "{input}");
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            1,
            "{input}: value 0 dropped once"
        );
    }
}

#[test]
fn values_mapped_before_a_failure_resume_their_first_panic_in_an_async_loop() {
    quiet();
    let dropped = AtomicUsize::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        poll_to_end(
            failfast_runtime::future::try_map(0..3, 1, async |n| fails_at_two(n, &dropped)),
            100,
        )
    }));
    let payload = result.err().expect("a dropped value panicked");
    assert!(message(payload).starts_with("drop of value"));
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        2,
        "every value dropped once"
    );
}

#[test]
fn a_value_dropped_while_an_iteration_panics_does_not_replace_its_panic_in_an_async_loop() {
    quiet();
    let dropped = AtomicUsize::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        poll_to_end(
            failfast_runtime::future::try_map(0..3, 1, async |n| panics_at_one(n, &dropped)),
            100,
        )
    }));
    let payload = result.err().expect("iteration 1 panicked");
    assert_eq!(message(payload), "iteration 1 panicked");
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "value 0 dropped once");
}

/// Many values and many workers: whichever thread holds them, none aborts, each is dropped
/// once, and the loop ends with a panic (some value was made before the failure, since item 0
/// is mapped first by the caller) or the failure.
#[test]
fn values_on_every_worker_are_dropped_one_by_one_after_a_failure() {
    quiet();
    for workers in [2, 4, 8] {
        let made = AtomicUsize::new(0);
        let dropped = AtomicUsize::new(0);
        let result = catch_unwind(AssertUnwindSafe(|| {
            failfast_runtime::try_map(0..2_000, workers, |n| {
                if n == 1_000 {
                    return Err(n);
                }
                made.fetch_add(1, Ordering::SeqCst);
                Ok(Value {
                    n,
                    dropped: &dropped,
                })
            })
        }));
        match result {
            Ok(result) => assert_eq!(result.err(), Some(1_000), "{workers} workers"),
            Err(payload) => assert!(message(payload).starts_with("drop of value")),
        }
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            made.load(Ordering::SeqCst),
            "{workers} workers: every value dropped once"
        );
    }
}
