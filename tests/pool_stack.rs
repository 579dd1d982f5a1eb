//! Pool threads get a stack bigger than the main thread's (16 MiB on 64-bit targets, at least
//! the main thread's 8 MiB) without costing memory: the pages are reserved, not touched, so
//! an idle pool of 8 threads takes as much resident memory as 8 threads with std's default
//! 2 MiB stack, within 1 MB, and no more threads. One test function: it measures the whole
//! process.
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

/// Waits (boundedly) until the process has `expected` threads: a joined thread is still
/// counted until the kernel has reaped it. The count it settled at.
fn threads_settled_at(expected: usize) -> usize {
    let began = std::time::Instant::now();
    loop {
        let now = threads();
        if now == expected || began.elapsed() > Duration::from_secs(5) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The size of the memory mapping that holds address `at`, from `/proc/self/maps`: for a
/// local of a thread, its stack (less the guard page, mapped apart).
fn mapping_size(at: usize) -> usize {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .find_map(|line| {
            let range = line.split_whitespace().next()?;
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (start..end).contains(&at).then_some(end - start)
        })
        .expect("a local is in a mapping")
}

/// Runs an 8-worker loop whose iterations wait until 8 distinct threads run one: all of the
/// pool's threads have started, and run an iteration, when it returns. The address of a
/// local of each of them.
fn start_a_pool_of_8() -> Vec<usize> {
    let locals: Mutex<Vec<usize>> = Mutex::new(Vec::with_capacity(64));
    let seen: Mutex<Vec<ThreadId>> = Mutex::new(Vec::with_capacity(8));
    let all_in = Condvar::new();
    let result = failfast::try_for_each(0..64, 8, |_| {
        let local = std::hint::black_box(0u8);
        let mut seen_now = seen.lock().unwrap();
        let me = std::thread::current().id();
        if !seen_now.contains(&me) {
            seen_now.push(me);
            locals
                .lock()
                .unwrap()
                .push(std::hint::black_box(&local) as *const u8 as usize);
            all_in.notify_all();
        }
        let (seen_now, wait) = all_in
            .wait_timeout_while(seen_now, HANG, |seen| seen.len() < 8)
            .unwrap();
        assert!(!wait.timed_out(), "only {} threads started", seen_now.len());
        Ok::<(), ()>(())
    });
    assert_eq!(result, Ok(()));
    locals.into_inner().unwrap()
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
        let cost = (
            resident_kb().saturating_sub(before.0),
            threads().saturating_sub(before.1),
        );
        parked.wait();
        cost
    });
    // The 8 are joined, but may be counted until reaped: the pool's count must not include
    // them.
    assert_eq!(
        threads_settled_at(before.1),
        before.1,
        "threads after the join"
    );

    // The caller only feeds this loop: 8 pool threads, the process's first, idle when it has
    // returned (they stay for a few seconds, waiting for the next loop).
    let before = (resident_kb(), threads());
    let locals = start_a_pool_of_8();
    let pool = (
        resident_kb().saturating_sub(before.0),
        threads().saturating_sub(before.1),
    );
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

    // And the pool threads have the bigger stack (16 MiB on 64-bit targets, at least the
    // main thread's 8 MiB anywhere): measured after the memory, as reading the maps
    // allocates. The idle threads are still there, so are their stacks.
    let floor = if cfg!(target_pointer_width = "64") {
        16 << 20
    } else {
        8 << 20
    };
    assert_eq!(locals.len(), 8);
    for at in locals {
        let stack = mapping_size(at);
        println!("a pool thread's stack: {} kB", stack >> 10);
        // Less a guard page, and, where the kernel merged it with a neighbour, more.
        assert!(
            stack >= floor - (64 << 10),
            "a pool thread's stack is {stack} B"
        );
    }
}
