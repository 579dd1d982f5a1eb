// What the body shares is checked place by place, as the closure captures it: a field that is
// `Sync` of a value that is not, a name the body binds itself, and names in macros.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Stats {
    // Not `Sync`, and never used by the loop's body.
    last_run: Cell<u32>,
    total: AtomicUsize,
    limit: usize,
}

#[fail_fast(workers = 4)]
fn add_all(items: &[usize]) -> Result<usize, String> {
    let stats = Stats { last_run: Cell::new(0), total: AtomicUsize::new(0), limit: 10 };
    stats.last_run.set(stats.last_run.get() + 1);
    for &item in items {
        if item > stats.limit {
            return Err(format!("{item} is over {}", stats.limit));
        }
        stats.total.fetch_add(item, Ordering::Relaxed);
    }
    Ok(stats.total.into_inner())
}

#[fail_fast(workers = 4)]
fn shadowed(items: &[u32]) -> Result<(), String> {
    // Not `Sync`: the body's `count` is its own.
    let count = Cell::new(0);
    count.set(1);
    for &item in items {
        let count = item * 2;
        println!("{count} {}", count + 1);
    }
    assert_eq!(count.get(), 1);
    Ok(())
}

fn main() {
    assert_eq!(add_all(&[1, 2, 3]), Ok(6));
    assert!(add_all(&[11]).is_err());
    shadowed(&[1, 2]).unwrap();
}
