//! `#[fail_fast]` directly on a `for` loop, without the function attribute.
#![feature(stmt_expr_attributes, proc_macro_hygiene)]

use failfast::{cancelled, fail_fast};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::future::Future;
use std::sync::Mutex;

fn check(items: &[i32]) -> Result<usize, String> {
    #[fail_fast(workers = 4)]
    for &item in items {
        if item < 0 {
            Err(format!("{item} is negative"))?;
        }
    }
    Ok(items.len())
}

#[test]
fn the_first_failure_leaves_the_function_like_question_mark() {
    assert_eq!(check(&[1, 2, 3]), Ok(3));
    assert_eq!(check(&[1, -2, 3]), Err("-2 is negative".to_string()));
}

fn first_missing(keys: &[usize], table: &[Option<u8>]) -> Option<()> {
    #[fail_fast(workers = 2)]
    for &key in keys {
        table.get(key)?.as_ref()?;
    }
    Some(())
}

#[test]
fn option_functions_work() {
    assert_eq!(first_missing(&[0, 2], &[Some(1), None, Some(3)]), Some(()));
    assert_eq!(first_missing(&[0, 1], &[Some(1), None, Some(3)]), None);
}

fn odd_ones(items: &[u32], seen: &Mutex<Vec<u32>>) -> Result<(), ()> {
    #[fail_fast]
    'items: for &item in items {
        if item % 2 == 0 {
            continue 'items;
        }
        #[fail_fast(workers = 2)]
        for part in 0..item {
            if part > 0 {
                continue;
            }
            seen.lock().unwrap().push(item);
        }
    }
    Ok(())
}

#[test]
fn continue_and_nested_marked_loops_work() {
    let seen = Mutex::new(Vec::new());
    odd_ones(&[1, 2, 3, 4, 5], &seen).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, [1, 3, 5]);
}

fn endless(started_after: &AtomicUsize) -> Result<(), u64> {
    #[fail_fast(workers = 3)]
    for i in 0u64.. {
        if cancelled() {
            started_after.fetch_add(1, Ordering::SeqCst);
        }
        if i == 100 {
            Err(i)?;
        }
    }
    Ok(())
}

#[test]
fn an_endless_input_stops_at_the_first_failure() {
    let started_after = AtomicUsize::new(0);
    assert_eq!(endless(&started_after), Err(100));
    assert!(started_after.into_inner() <= 2);
}

fn first_big(values: &[u32]) -> Result<Option<u32>, String> {
    #[fail_fast(workers = 1)]
    for &value in values {
        if value > 10 {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

#[test]
fn return_in_the_loop_form_ends_the_loop() {
    assert_eq!(first_big(&[1, 20, 30]), Ok(Some(20)));
    assert_eq!(first_big(&[1, 2]), Ok(None));
}

async fn fetch_lengths(urls: &[&str], total: &AtomicUsize) -> Result<(), String> {
    #[fail_fast(workers = 8)]
    for url in urls {
        std::future::ready(()).await;
        if url.is_empty() {
            Err("an empty url".to_string())?;
        }
        total.fetch_add(url.len(), Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn an_awaiting_loop_form_in_an_async_fn_is_an_async_loop() {
    let total = AtomicUsize::new(0);
    let mut future = std::pin::pin!(fetch_lengths(&["ab", "c"], &total));
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let result = loop {
        if let std::task::Poll::Ready(result) = future.as_mut().poll(&mut context) {
            break result;
        }
    };
    assert_eq!(result, Ok(()));
    assert_eq!(total.load(Ordering::SeqCst), 3);
}

// Without the function, its variables are unknown: nothing in the body (`drop`, a function) is
// taken for a variable shared by the iterations.
fn consume(items: Vec<String>) -> Result<(), String> {
    #[fail_fast(workers = 4)]
    for s in items {
        if s.is_empty() {
            Err("empty".to_string())?;
        }
        drop(s);
    }
    Ok(())
}

#[test]
fn functions_called_in_the_body_are_not_taken_for_variables() {
    assert_eq!(consume(vec!["a".to_string(), "b".to_string()]), Ok(()));
    assert_eq!(consume(vec![String::new()]), Err("empty".to_string()));
}

fn drain(jobs: &std::sync::mpsc::Receiver<u32>, total: &AtomicUsize) -> Result<(), u32> {
    #[fail_fast(workers = 3)]
    while let Ok(job) = jobs.recv() {
        if job == 0 {
            return Err(job);
        }
        total.fetch_add(job as usize, Ordering::Relaxed);
    }
    Ok(())
}

#[test]
fn a_marked_while_let_loop_runs_in_parallel_on_its_head() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in 1..=10 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let total = AtomicUsize::new(0);
    assert_eq!(drain(&rx, &total), Ok(()));
    assert_eq!(total.into_inner(), 55);
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(0).unwrap();
    // Closed: a head blocked in `recv()` when the loop fails returns at once.
    drop(tx);
    assert_eq!(drain(&rx, &AtomicUsize::new(0)), Err(0));
}

/// A log shared by reference, whose `push` takes `&self`.
struct Log(Mutex<Vec<u32>>);

impl Log {
    fn push(&self, item: u32) {
        self.0.lock().unwrap().push(item);
    }
}

fn logged(items: &[u32], log: &Log) -> Result<(), u32> {
    #[fail_fast(workers = 2)]
    for &item in items {
        log.push(item);
    }
    Ok(())
}

#[test]
fn a_method_of_a_shared_value_taking_self_by_reference_is_no_race() {
    let log = Log(Mutex::new(Vec::new()));
    assert_eq!(logged(&[3, 1, 2], &log), Ok(()));
    let mut logged = log.0.into_inner().unwrap();
    logged.sort();
    assert_eq!(logged, [1, 2, 3]);
}

// A `return` that moves a value declared before the loop: the loop form cannot see the
// declaration, so it keeps the value for the first `return` (any name of the loop's own that
// it does not bind), as the function form keeps one it can see.
fn first_zero_or(items: &[u32], fallback: String) -> Result<String, String> {
    #[fail_fast(workers = 2)]
    for &item in items {
        if item == 0 {
            return Ok(fallback);
        }
    }
    Ok(String::new())
}

fn first_zero_or_none(items: &[u32]) -> Result<String, String> {
    let fallback = String::from("none");
    #[fail_fast(workers = 2)]
    for &item in items {
        if item == 0 {
            return Err(fallback);
        }
    }
    Ok(String::from("all set"))
}

// A value the body binds itself is its own: nothing is kept for it.
fn first_zero_labelled(items: &[u32]) -> Result<String, String> {
    #[fail_fast(workers = 2)]
    for &item in items {
        let label = format!("item {item}");
        if item == 0 {
            return Ok(label);
        }
        if item == 7 {
            let seven = String::from("seven");
            return Err(seven);
        }
    }
    Ok(String::new())
}

// A name passed to a method may be a function's, a generic one here: it is not kept.
fn describe<E: std::fmt::Display>(error: E) -> String {
    format!("item {error}")
}

fn first_big_described(items: &[u32]) -> Result<(), String> {
    #[fail_fast(workers = 2)]
    for &item in items {
        if item > 5 {
            return Err(item).map_err(describe);
        }
    }
    Ok(())
}

// A `Copy` value is copied into the cell: the code after the loop still has it.
fn first_above(items: &[u32], limit: u32) -> Result<u32, String> {
    #[fail_fast(workers = 2)]
    for &item in items {
        if item > limit {
            return Ok(limit);
        }
    }
    Ok(limit + 1)
}

async fn first_empty_or(names: &[&str], fallback: String) -> Result<String, String> {
    #[fail_fast(workers = 2)]
    for name in names {
        std::future::ready(()).await;
        if name.is_empty() {
            return Ok(fallback);
        }
    }
    Ok(String::new())
}

#[test]
fn a_return_moving_a_value_declared_before_the_loop_takes_it_once() {
    assert_eq!(first_zero_or(&[3, 0, 2, 0], "f".into()), Ok("f".into()));
    assert_eq!(first_zero_or(&[3, 2], "f".into()), Ok(String::new()));
    assert_eq!(first_zero_or_none(&[0, 0, 0]), Err("none".into()));
    assert_eq!(first_zero_or_none(&[1]), Ok("all set".into()));
    assert_eq!(first_zero_labelled(&[1, 0]), Ok("item 0".into()));
    assert_eq!(first_zero_labelled(&[7]), Err("seven".into()));
    assert_eq!(first_big_described(&[1, 9]), Err("item 9".into()));
    assert_eq!(first_above(&[1, 9], 5), Ok(5));
    assert_eq!(first_above(&[1, 2], 5), Ok(6));
    let found = block_on(first_empty_or(&["a", "", "b"], "f".into()));
    assert_eq!(found, Ok("f".into()));
}

/// Polls `future` on this thread until it is ready.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}
