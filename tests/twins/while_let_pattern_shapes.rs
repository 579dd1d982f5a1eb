// `while let` patterns whose shape (the pattern with its bindings left out, which the head
// tests) needs care: a binding named like the rewrite's own (`value`, `giver`), an or-pattern
// where only one case binds over a range (also behind `&`), one whose case is itself an
// or-pattern, a tuple's first element before `..` (clippy's `unneeded_wildcard_pattern` must
// not read it as `(_, ..)`).
use failfast::fail_fast;
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};

#[fail_fast(workers = 2)]
fn named_value(items: Vec<i32>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some(value @ 1..=3) = items.next() {
        total.fetch_add(value, SeqCst);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn named_slot(items: Vec<i32>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some(slot @ 1..=3) = items.next() {
        total.fetch_add(slot, SeqCst);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
async fn named_giver(items: Vec<i32>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some(giver @ 1..=3) = items.next() {
        futures::future::ready(()).await;
        total.fetch_add(giver, SeqCst);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn one_case_over_a_range(items: Vec<Result<i32, i32>>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some(Ok(n @ 1..=3) | Err(n)) = items.next() {
        total.fetch_add(n, SeqCst);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 1)]
fn behind_references(a: &[i32], b: &[i32]) -> Result<Vec<i32>, String> {
    let out = std::sync::Mutex::new(Vec::new());
    let mut pairs = a.iter().zip(b);
    while let Some((&n @ 1..=3, _) | (_, &n)) = pairs.next() {
        out.lock().unwrap().push(n);
    }
    Ok(out.into_inner().unwrap())
}

#[fail_fast(workers = 1)]
fn nested_cases(items: Vec<(i32, i32)>) -> Result<Vec<i32>, String> {
    let out = std::sync::Mutex::new(Vec::new());
    let mut items = items.into_iter();
    #[allow(clippy::unnested_or_patterns)]
    while let Some((n @ 1 | n @ 2 | n @ 3, _) | (n @ 7, _)) = items.next() {
        out.lock().unwrap().push(n);
    }
    Ok(out.into_inner().unwrap())
}

#[fail_fast(workers = 2)]
fn first_of_each(items: Vec<(i32, i32, i32)>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some((first, ..)) = items.next() {
        total.fetch_add(first, SeqCst);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
async fn first_of_each_async(items: Vec<(i32, i32, i32)>) -> Result<i32, String> {
    let total = AtomicI32::new(0);
    let mut items = items.into_iter();
    while let Some((first, .., last)) = items.next() {
        futures::future::ready(()).await;
        total.fetch_add(first + last, SeqCst);
    }
    Ok(total.into_inner())
}

fn main() {
    assert_eq!(named_value(vec![1, 3, 9, 1]), Ok(4));
    assert_eq!(named_slot(vec![2, 9]), Ok(2));
    assert_eq!(futures::executor::block_on(named_giver(vec![1, 3, 9, 1])), Ok(4));
    assert_eq!(one_case_over_a_range(vec![Ok(1), Err(7), Ok(9), Ok(1)]), Ok(8));
    assert_eq!(behind_references(&[1, 9, 2], &[5, 6, 7]), Ok(vec![1, 6, 2]));
    assert_eq!(nested_cases(vec![(1, 0), (7, 0), (3, 0), (9, 0)]), Ok(vec![1, 7, 3]));
    assert_eq!(first_of_each(vec![(1, 2, 3), (4, 5, 6)]), Ok(5));
    assert_eq!(
        futures::executor::block_on(first_of_each_async(vec![(1, 2, 3), (4, 5, 6)])),
        Ok(14)
    );
}
