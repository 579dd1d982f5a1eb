//! Test 5: the input stays on the calling thread and the body borrows the caller's locals.
mod common;

use failfast_runtime::{try_for_each, try_map};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[test]
fn a_non_send_input_works_and_the_body_borrows_locals() {
    // `Rc` and `Cell` make the iterator neither `Send` nor `Sync`: it never leaves this thread.
    let calls = Rc::new(Cell::new(0));
    let input = {
        let calls = Rc::clone(&calls);
        (0..100usize).inspect(move |_| calls.set(calls.get() + 1))
    };
    let offset = 1000; // borrowed, not moved
    let names: Vec<String> = (0..100).map(|i| format!("file-{i}")).collect();
    let seen = Mutex::new(Vec::new());
    let total = AtomicUsize::new(0);
    let result: Result<(), String> = try_for_each(input, 4, |i| {
        total.fetch_add(offset + i, Ordering::Relaxed);
        seen.lock().unwrap().push(names[i].as_str());
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert_eq!(
        calls.get(),
        100,
        "the input was pulled on this thread, each item once"
    );
    assert_eq!(total.into_inner(), 100 * 1000 + 4950);
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable_by_key(|name| name[5..].parse::<usize>().unwrap());
    assert_eq!(seen, names.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn the_body_may_borrow_non_static_data_in_try_map() {
    let words = String::from("alpha beta gamma");
    let lengths = try_map(words.split(' '), 3, |w| Ok::<_, ()>(w.len()));
    assert_eq!(lengths, Ok(vec![5, 4, 5]));
}
