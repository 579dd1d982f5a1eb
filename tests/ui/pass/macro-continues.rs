// A macro in the body that expands to `continue` (a `skip_if!` helper) ends the iteration, as a
// written `continue` does, in a `for` loop and in a `while let` loop.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

macro_rules! skip_if {
    ($condition:expr) => {
        if $condition {
            continue;
        }
    };
}

#[fail_fast(workers = 4)]
fn sum_even(items: &[u32], total: &AtomicUsize) -> Result<(), String> {
    for &item in items {
        skip_if!(item % 2 == 1);
        if item > 100 {
            Err(format!("{item} is too big"))?;
        }
        total.fetch_add(item as usize, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn drain_even(queue: &Mutex<Vec<u32>>, total: &AtomicUsize) {
    while let Some(item) = queue.lock().unwrap().pop() {
        skip_if!(item % 2 == 1);
        total.fetch_add(item as usize, Ordering::Relaxed);
    }
}

fn main() {
    let total = AtomicUsize::new(0);
    sum_even(&[1, 2, 3, 4, 5, 6], &total).unwrap();
    assert_eq!(total.load(Ordering::Relaxed), 12);
    // An odd item past the limit is skipped before it is checked; an even one fails.
    assert!(sum_even(&[101, 2], &total).is_ok());
    assert_eq!(sum_even(&[1, 102], &total), Err("102 is too big".to_string()));

    let total = AtomicUsize::new(0);
    drain_even(&Mutex::new((1..=10).collect()), &total);
    assert_eq!(total.load(Ordering::Relaxed), 30);
}
