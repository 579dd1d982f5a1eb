//! A recursion that reaches a loop again through a second loop (a directory walk whose loop
//! over directories calls a loop over entries, which calls the walk again) is still one
//! recursion of the first loop: its runs share the first run's group on every thread,
//! including the second loop's pool threads, which never ran the first loop's iterations
//! themselves. So the threads it holds do not grow with its depth, and a failure deep inside
//! cancels it as a failure in a direct recursion does. One test function, so that no other
//! test's threads run in this process meanwhile.
mod tree;

use failfast::{cancelled, fail_fast};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tree::{process_threads, watchdog};

/// What the walk saw: the most process threads, iterations started, and those started after
/// the failure without seeing their loop cancelled.
#[derive(Default)]
struct Seen {
    threads_most: AtomicUsize,
    started: AtomicUsize,
    failed: AtomicBool,
    started_after_failure: AtomicUsize,
}

#[fail_fast(workers = 4)]
fn walk(depth: u32, fail_at: usize, seen: &Seen) -> Result<(), usize> {
    for _directory in 0..2 {
        if seen.failed.load(Ordering::SeqCst) && !cancelled() {
            seen.started_after_failure.fetch_add(1, Ordering::SeqCst);
        }
        let n = seen.started.fetch_add(1, Ordering::SeqCst);
        seen.threads_most
            .fetch_max(process_threads(), Ordering::SeqCst);
        if n == fail_at {
            seen.failed.store(true, Ordering::SeqCst);
            return Err(n);
        }
        std::thread::sleep(Duration::from_micros(50));
        if depth > 0 {
            entries(depth - 1, fail_at, seen)?;
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn entries(depth: u32, fail_at: usize, seen: &Seen) -> Result<(), usize> {
    for _entry in 0..2 {
        walk(depth, fail_at, seen)?;
    }
    Ok(())
}

#[test]
fn a_recursion_through_a_second_loop_holds_bounded_threads_and_stops_at_a_failure() {
    // Threads: the walk's group (3 pool threads), and one group of the entries loop (3 pool
    // threads) for each of the walk's first-level iterations, which are not inside any entries
    // loop: 2 here. Before the fix, depth 6 peaked at 1,159 threads, depth 10 at 17,527.
    // Against the count before the first walk: idle pool threads stay for the next.
    let before = process_threads();
    for depth in [2, 6, 8] {
        let seen = Seen::default();
        let what = format!("a walk {depth} levels deep");
        assert_eq!(watchdog(&what, || walk(depth, usize::MAX, &seen)), Ok(()));
        let rise = seen.threads_most.into_inner().saturating_sub(before);
        println!("{what}: threads +{rise}");
        // The watchdog's thread is one more.
        assert!(rise <= 3 + 2 * 3 + 2, "{what}: threads +{rise}");
    }

    // A failure at the 100th of 10,922 iterations: the walk ends with it, as a direct
    // recursion does (before the fix, 4,800 to 10,000 iterations started after it, none of
    // them cancelled). Those that start after it without seeing it are the ones of runs the
    // failure has not reached yet on its way up: 9 to 215 on an idle 2-core machine, up to
    // 380 while it compiled. The bound is for "the rest of the tree ran".
    let seen = Seen::default();
    assert_eq!(watchdog("a failing walk", || walk(6, 100, &seen)), Err(100));
    let started = seen.started.into_inner();
    let late = seen.started_after_failure.into_inner();
    println!("a failing walk: {started} iterations started, {late} after the failure");
    assert!(
        late <= 2_000,
        "{late} iterations started after the failure without seeing it"
    );
}
