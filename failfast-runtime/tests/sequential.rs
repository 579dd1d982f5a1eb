//! Test 9: one worker is the sequential loop; zero workers is refused.
mod common;

use common::scaled;
use failfast_runtime::try_for_each;
use std::panic::catch_unwind;
use std::sync::Mutex;

#[test]
fn one_worker_runs_in_input_order_and_stops_at_the_first_failure() {
    let order = Mutex::new(Vec::new());
    let result = try_for_each(0..100, 1, |i| {
        order.lock().unwrap().push(i);
        if i == 37 || i == 60 {
            return Err(i);
        }
        Ok(())
    });
    assert_eq!(result, Err(37), "the sequential loop's first failure");
    assert_eq!(
        order.into_inner().unwrap(),
        (0..=37).collect::<Vec<_>>(),
        "nothing ran after it"
    );
}

#[test]
fn one_worker_with_fast_items_keeps_input_order() {
    let order = Mutex::new(Vec::new());
    let result: Result<(), ()> = try_for_each(0..scaled(20_000), 1, |i| {
        order.lock().unwrap().push(i);
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert_eq!(
        order.into_inner().unwrap(),
        (0..scaled(20_000)).collect::<Vec<_>>()
    );
}

#[test]
fn zero_workers_panics_with_a_clear_message() {
    let payload = catch_unwind(|| try_for_each(0..10, 0, |_| Ok::<(), ()>(()))).unwrap_err();
    let message = match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    };
    assert!(
        message.contains("`workers` must be at least 1"),
        "message: {message}"
    );
}
