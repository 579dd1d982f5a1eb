// A function with no outermost `for` loop has its outermost `while let` loop run in parallel
// (a `for` inside it stays sequential): channels, iterators' `next()` and queues as input,
// with `?` in the head, `continue`, `return`, and `Option` and `()` functions.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

#[fail_fast(workers = 4)]
fn sum_jobs(jobs: &mpsc::Receiver<Vec<u32>>, total: &AtomicUsize) -> Result<(), String> {
    while let Ok(job) = jobs.recv() {
        for part in job {
            total.fetch_add(part as usize, Ordering::Relaxed);
        }
    }
    Ok(())
}

fn next_page(pages: &mut std::vec::IntoIter<Result<u32, String>>) -> Result<Option<u32>, String> {
    pages.next().transpose()
}

#[fail_fast(workers = 3)]
fn first_big(mut pages: std::vec::IntoIter<Result<u32, String>>) -> Result<Option<u32>, String> {
    while let Some(page) = next_page(&mut pages)? {
        if page < 10 {
            continue;
        }
        return Ok(Some(page));
    }
    Ok(None)
}

#[fail_fast(workers = 2)]
fn all_even(numbers: &[u32]) -> Option<()> {
    let mut numbers = numbers.iter();
    while let Some(&n) = numbers.next() {
        (n % 2 == 0).then_some(())?;
    }
    Some(())
}

#[fail_fast(workers = 2)]
fn count(mut left: u32, seen: &AtomicUsize) {
    let mut next = move || {
        left = left.checked_sub(1)?;
        Some(left)
    };
    while let Some(mut n) = next() {
        n += 1;
        seen.fetch_add(n as usize, Ordering::Relaxed);
    }
}

fn main() {
    let (tx, rx) = mpsc::channel();
    for i in 0..10 {
        tx.send(vec![i, i]).unwrap();
    }
    drop(tx);
    let total = AtomicUsize::new(0);
    assert_eq!(sum_jobs(&rx, &total), Ok(()));
    assert_eq!(total.into_inner(), 90);

    let pages = vec![Ok(1), Ok(2), Ok(30)].into_iter();
    assert_eq!(first_big(pages), Ok(Some(30)));
    let pages = vec![Ok(1), Err("page 2 failed".to_string()), Ok(30)].into_iter();
    assert_eq!(first_big(pages), Err("page 2 failed".to_string()));

    assert_eq!(all_even(&[2, 4, 6]), Some(()));
    assert_eq!(all_even(&[2, 3, 6]), None);

    let seen = AtomicUsize::new(0);
    count(4, &seen);
    assert_eq!(seen.into_inner(), 10);
}
