//! Test 11: loops leave no threads behind. Alone in its file, so that no other test's
//! threads are counted.
//!
//! It counts the process's threads in `/proc`: Linux only, and not under Miri, where `/proc`
//! describes the interpreter rather than the program it runs.
#![cfg(all(target_os = "linux", not(miri)))]

use failfast_runtime::try_for_each;
use std::time::{Duration, Instant};

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn a_thousand_loops_leave_no_threads_behind() {
    let before = threads();
    for round in 0..1_000 {
        let workers = 1 + round % 8;
        let result = try_for_each(0..20, workers, |i| {
            if i == 13 && round % 3 == 0 {
                Err(i)
            } else {
                Ok(())
            }
        });
        assert_eq!(result.is_err(), round % 3 == 0);
    }
    // Idle threads are kept for reuse: at most as many as one loop used at once.
    let after = threads();
    assert!(
        after <= before + 8,
        "{before} threads before, {after} after 1,000 loops"
    );

    // And they exit after at most 5 seconds idle.
    let deadline = Instant::now() + Duration::from_secs(15);
    while threads() > before {
        assert!(
            Instant::now() < deadline,
            "idle threads still alive: {} > {before}",
            threads()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(failfast_runtime::idle_threads(), 0);
}
