//! Pool threads get the main thread's stack (8 MiB) without costing memory: the pages are
//! reserved, not touched, so an idle pool of 8 threads takes as much resident memory as 8
//! threads with std's default 2 MiB stack, within 1 MB, and no more threads. One test
//! function: it measures the whole process.
use std::sync::{Barrier, Condvar, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

const HANG: Duration = Duration::from_secs(60);

fn status(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| value.trim().trim_end_matches(" kB").parse().ok())
        .unwrap()
}

fn resident_kb() -> usize {
    status("VmRSS:")
}

fn threads() -> usize {
    status("Threads:")
}

/// Runs an 8-worker loop whose iterations wait until 8 distinct threads run one: all of the
/// pool's threads have started, and run an iteration, when it returns.
fn start_a_pool_of_8() {
    let seen: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    let all_in = Condvar::new();
    let result = failfast::try_for_each(0..64, 8, |_| {
        let mut seen_now = seen.lock().unwrap();
        let me = std::thread::current().id();
        if !seen_now.contains(&me) {
            seen_now.push(me);
            all_in.notify_all();
        }
        let (seen_now, wait) = all_in
            .wait_timeout_while(seen_now, HANG, |seen| seen.len() < 8)
            .unwrap();
        assert!(!wait.timed_out(), "only {} threads started", seen_now.len());
        Ok::<(), ()>(())
    });
    assert_eq!(result, Ok(()));
}

#[test]
fn an_idle_pool_of_8_threads_costs_what_8_default_threads_do() {
    // 8 threads with std's default stack, parked: the resident memory threads cost before
    // pool threads got the bigger stack.
    let before = (resident_kb(), threads());
    let parked = Barrier::new(9);
    let default_threads = std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                parked.wait();
                parked.wait();
            });
        }
        parked.wait();
        let cost = (resident_kb() - before.0, threads() - before.1);
        parked.wait();
        cost
    });

    // The caller only feeds this loop: 8 pool threads, the process's first, idle when it has
    // returned (they stay for a few seconds, waiting for the next loop).
    let before = (resident_kb(), threads());
    start_a_pool_of_8();
    let pool = (resident_kb().saturating_sub(before.0), threads() - before.1);
    println!(
        "8 default threads: +{} kB, +{} threads",
        default_threads.0, default_threads.1
    );
    println!("idle pool of 8:    +{} kB, +{} threads", pool.0, pool.1);
    assert_eq!(pool.1, 8, "threads");
    assert!(
        pool.0 <= default_threads.0 + 1024,
        "the idle pool takes {} kB, 8 default threads {} kB",
        pool.0,
        default_threads.0
    );
}
