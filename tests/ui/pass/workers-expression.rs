// `workers` may be any `usize` expression, evaluated once when the loop starts; without it,
// the loop uses the available parallelism.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

fn configured() -> usize {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    assert_eq!(CALLS.fetch_add(1, Ordering::SeqCst), 0, "evaluated once");
    3
}

#[fail_fast(workers = configured())]
fn from_call(n: u32) -> Result<u32, ()> {
    for _ in 0..n {}
    Ok(n)
}

#[fail_fast]
fn by_default(total: &AtomicUsize) -> Result<(), ()> {
    for i in 0..100 {
        total.fetch_add(i, Ordering::SeqCst);
    }
    Ok(())
}

fn main() {
    assert_eq!(from_call(50), Ok(50));
    let total = AtomicUsize::new(0);
    by_default(&total).unwrap();
    assert_eq!(total.into_inner(), 4950);
}
