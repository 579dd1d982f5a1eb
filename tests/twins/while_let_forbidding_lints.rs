// `while let` loops, thread and async, in a crate that forbids the lints a pattern matching
// every value would fire: the rewrite allows none of them, whatever the refutable pattern
// (`Some(..)`, cases of different variants, `n @ ..`, a user's enum, `&..`).
#![forbid(irrefutable_let_patterns, unreachable_patterns, clippy::manual_range_patterns)]
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::mpsc;

#[fail_fast(workers = 4)]
fn received(lines: mpsc::Receiver<String>) -> Result<usize, String> {
    let total = std::sync::atomic::AtomicUsize::new(0);
    while let Ok(line) = lines.recv() {
        if line.is_empty() {
            return Err("an empty line".into());
        }
        total.fetch_add(line.len(), std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

async fn check(n: u32) -> Result<(), String> {
    if n < 10 {
        Ok(())
    } else {
        Err(format!("{n} is too big"))
    }
}

#[fail_fast(workers = 4)]
async fn popped(items: Vec<u32>) -> Result<(), String> {
    let mut items = items.into_iter();
    while let Some(n) = items.next() {
        check(n).await?;
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn small(items: Vec<u8>) -> Result<(), String> {
    let mut items = items.into_iter();
    while let Some(1 | 2) | Some(3) = items.next() {
        if cancelled_twice() {
            return Err("never".into());
        }
    }
    Ok(())
}

enum Msg {
    Job(u32),
    Quit,
}

#[fail_fast(workers = 2)]
fn flags(flags: Vec<Option<bool>>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut flags = flags.into_iter();
    while let Some(true) | None = flags.next().unwrap_or(Some(false)) {
        total.fetch_add(1, Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn pairs(pairs: Vec<Result<Option<u8>, u8>>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut pairs = pairs.into_iter();
    while let Some(Ok(Some(n)) | Err(n)) = pairs.next() {
        total.fetch_add(u32::from(n), Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn jobs(msgs: Vec<Msg>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut msgs = msgs.into_iter();
    while let Some(Msg::Job(n)) = msgs.next() {
        total.fetch_add(n, Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn referenced(numbers: &[u8]) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut numbers = numbers.iter();
    while let Some(&(n @ (1 | 2))) = numbers.next() {
        total.fetch_add(u32::from(n), Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn bound_cases(numbers: Vec<u8>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut numbers = numbers.into_iter();
    while let Some(n @ 1 | n @ 2 | n @ 3) = numbers.next() {
        total.fetch_add(u32::from(n), Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
async fn bound_cases_async(numbers: Vec<u8>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut numbers = numbers.into_iter();
    while let n @ 1 | n @ 2 | n @ 3 = numbers.next().unwrap_or(0) {
        check(u32::from(n)).await?;
        total.fetch_add(u32::from(n), Relaxed);
    }
    Ok(total.into_inner())
}

fn cancelled_twice() -> bool {
    failfast::cancelled() && failfast::cancelled()
}

fn main() {
    assert_eq!(small(vec![1, 3, 2, 7, 1]), Ok(()));
    // Each loop ends at the first value its pattern does not match.
    assert_eq!(flags(vec![Some(true), None, Some(false), None]), Ok(2));
    assert_eq!(pairs(vec![Ok(Some(2)), Err(3), Ok(None), Err(50)]), Ok(5));
    assert_eq!(jobs(vec![Msg::Job(10), Msg::Quit, Msg::Job(1000)]), Ok(10));
    assert_eq!(referenced(&[1, 2, 3, 1]), Ok(3));
    assert_eq!(bound_cases(vec![1, 3, 2, 9, 1]), Ok(6));
    assert_eq!(
        futures::executor::block_on(bound_cases_async(vec![1, 3, 2, 9, 1])),
        Ok(6)
    );
    let (tx, rx) = mpsc::channel();
    tx.send("ab".to_string()).unwrap();
    drop(tx);
    assert_eq!(received(rx), Ok(2));
    assert!(futures::executor::block_on(popped(vec![1, 2])).is_ok());
    assert!(futures::executor::block_on(popped(vec![11])).is_err());
}
