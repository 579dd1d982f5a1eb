// `while let` loops, thread and async, in a crate that forbids the lints a pattern matching
// every value would fire: the rewrite allows none of them for a `Some(..)` or `Ok(..)` pattern,
// nor for an or-pattern of one variant's cases (`Some(1 | 2) | Some(3)`).
#![forbid(irrefutable_let_patterns, unreachable_patterns)]
use failfast::fail_fast;
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

fn cancelled_twice() -> bool {
    failfast::cancelled() && failfast::cancelled()
}

fn main() {
    assert_eq!(small(vec![1, 3, 2, 7, 1]), Ok(()));
    let (tx, rx) = mpsc::channel();
    tx.send("ab".to_string()).unwrap();
    drop(tx);
    assert_eq!(received(rx), Ok(2));
    assert!(futures::executor::block_on(popped(vec![1, 2])).is_ok());
    assert!(futures::executor::block_on(popped(vec![11])).is_err());
}
