//! A loop run as a thread exits, from the `Drop` of a thread-local (a buffer flushed at exit),
//! on a thread that ran a loop before: the runtime's own thread-locals may be gone by then,
//! and the loop still runs, to the same result, without aborting the process. (It aborted
//! with "cannot access a Thread Local Storage value during or after destruction".)
use failfast::fail_fast;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn sum(items: std::ops::Range<u64>) -> Result<u64, String> {
    let total = AtomicU64::new(0);
    for x in items {
        total.fetch_add(x, Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

/// The leaves of a tree `depth` levels deep, 3 children a node, by a recursion.
#[fail_fast(workers = 3)]
fn leaves(depth: u32, found: &AtomicU64) -> Result<(), String> {
    for _ in 0..3 {
        match depth {
            0 => {
                found.fetch_add(1, Ordering::Relaxed);
            }
            _ => leaves(depth - 1, found)?,
        }
    }
    Ok(())
}

/// What the loops in `Flush::drop` returned.
static FLUSHED: Mutex<Vec<Result<u64, String>>> = Mutex::new(Vec::new());

struct Flush;

impl Drop for Flush {
    fn drop(&mut self) {
        let found = AtomicU64::new(0);
        let walked = leaves(3, &found).map(|()| found.into_inner());
        let mapped = failfast::try_map(0..10_u64, 2, |x| Ok::<u64, String>(x * 2));
        let mut flushed = FLUSHED.lock().unwrap();
        flushed.push(sum(0..100));
        flushed.push(walked);
        flushed.push(mapped.map(|doubled| doubled.iter().sum()));
    }
}

std::thread_local! {
    static FLUSH: RefCell<Option<Flush>> = const { RefCell::new(None) };
}

#[test]
fn loops_run_in_a_thread_locals_drop_as_the_thread_exits() {
    std::thread::spawn(|| {
        // Set before the thread's first loop, so destroyed after the runtime's thread-locals.
        FLUSH.with(|flush| *flush.borrow_mut() = Some(Flush));
        assert_eq!(sum(0..10), Ok(45));
        let found = AtomicU64::new(0);
        assert_eq!(leaves(2, &found), Ok(()));
        assert_eq!(found.into_inner(), 27);
    })
    .join()
    .unwrap();
    assert_eq!(*FLUSHED.lock().unwrap(), [Ok(4950), Ok(81), Ok(90)]);
}
