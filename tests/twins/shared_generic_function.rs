// A generic function called in the body, whose name a `let` after the loop also binds.
use failfast::fail_fast;
use std::cmp::max;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

#[fail_fast(workers = 4)]
fn best(items: &[u32]) -> Result<u32, String> {
    let best = AtomicU32::new(0);
    for x in items {
        best.fetch_max(max(*x, 1), Relaxed);
    }
    let max = best.into_inner();
    Ok(max)
}

fn main() {
    assert_eq!(best(&[0, 5, 2]), Ok(5));
}
