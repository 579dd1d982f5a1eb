use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

// An `Fn` parameter is called by every iteration at once; an `FnMut` one, behind a `Mutex`
// made before the loop, as the message for calling it bare says.
#[fail_fast(workers = 4)]
fn visit<F>(items: &[u32], f: F) -> Result<(), String>
where
    F: Fn(u32) -> Result<(), String> + Sync,
{
    for item in items {
        f(*item)?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn visit_locked<F>(items: &[u32], f: F) -> Result<(), String>
where
    F: FnMut(u32) -> Result<(), String> + Send,
{
    let f = Mutex::new(f);
    for item in items {
        (f.lock().unwrap())(*item)?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn visit_dyn_locked(items: &[u32], on_item: &mut (dyn FnMut(u32) + Send)) {
    let on_item = Mutex::new(on_item);
    for item in items {
        (on_item.lock().unwrap())(*item);
    }
}

// Bounded by both, it is called through `Fn`.
#[fail_fast(workers = 4)]
fn visit_both<F>(items: &[u32], f: F)
where
    F: FnMut(u32) + Fn(u32) + Sync,
{
    for item in items {
        f(*item);
    }
}

/// A callback trait of the user's, an `Fn` underneath.
trait Callback: Fn(u32) + Sync {}
impl<T: Fn(u32) + Sync> Callback for T {}

// Bounded through a trait of the user's that may be an `Fn`: rustc decides.
#[fail_fast(workers = 4)]
fn visit_callback<F>(items: &[u32], f: F)
where
    F: FnMut(u32) + Callback,
{
    for item in items {
        f(*item);
    }
}

// Closures of the function's own: one that changes only an atomic is an `Fn`; a name bound
// twice is left to rustc, which calls the second closure, an `Fn`.
#[fail_fast(workers = 4)]
fn counted(items: &[u32]) -> u32 {
    let total = AtomicU32::new(0);
    let add = |n: u32| total.fetch_add(n, Ordering::SeqCst);
    let mut calls = 0;
    let mut tally = |n: u32| {
        calls += 1;
        n
    };
    let first = tally(1);
    let tally = |n: u32| n * 2;
    for item in items {
        add(tally(*item));
    }
    total.load(Ordering::SeqCst) + first + calls
}

fn record(n: u32) -> Result<(), String> {
    if n > 2 {
        return Err(format!("{n}"));
    }
    Ok(())
}

// The loop calls the function `record`: a closure of that name declared after the loop, or in
// an earlier block, is not in scope there.
#[fail_fast(workers = 4)]
fn recorded(items: &[u32]) -> Result<Vec<u32>, String> {
    for &item in items {
        record(item)?;
    }
    let mut seen = Vec::new();
    let mut record = |n: u32| seen.push(n);
    items.iter().for_each(|&n| record(n));
    Ok(seen)
}

#[fail_fast(workers = 4)]
fn recorded_after_a_block(items: &[u32]) -> Result<usize, String> {
    let header = {
        let mut lines = Vec::new();
        let mut record = |line: &str| lines.push(line.to_string());
        record("header");
        lines.len()
    };
    for &item in items {
        record(item)?;
    }
    Ok(header)
}

fn main() {
    assert_eq!(counted(&[1, 2]), 8);
    assert_eq!(recorded(&[1, 2]), Ok(vec![1, 2]));
    assert_eq!(recorded(&[1, 3]), Err("3".to_string()));
    assert_eq!(recorded_after_a_block(&[1, 2]), Ok(1));
    assert_eq!(recorded_after_a_block(&[3]), Err("3".to_string()));
    let total = AtomicU32::new(0);
    let add = |n: u32| {
        total.fetch_add(n, Ordering::SeqCst);
        Ok(())
    };
    assert_eq!(visit(&[1, 2, 3], add), Ok(()));
    let mut seen = Vec::new();
    assert_eq!(
        visit_locked(&[4, 5], |n| {
            seen.push(n);
            Ok(())
        }),
        Ok(())
    );
    seen.sort();
    assert_eq!(seen, [4, 5]);
    visit_both(&[7, 8], |n| {
        total.fetch_add(n, Ordering::SeqCst);
    });
    visit_callback(&[1, 2], |n| {
        total.fetch_add(n, Ordering::SeqCst);
    });
    let mut sum = 0;
    visit_dyn_locked(&[1, 2], &mut |n| sum += n);
    assert_eq!((total.load(Ordering::SeqCst), sum), (24, 3));
}
