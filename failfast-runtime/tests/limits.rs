//! The concurrency limit and how far the input is pulled ahead.
mod common;

use common::{counted, scaled, wait_until, Concurrency, Gate, Path};
use failfast_runtime::{cancelled, try_for_each};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Test 2: with 4 workers and 40 blocking items, exactly 4 run at once, never 5, on every
/// path.
#[test]
fn concurrency_limit_is_exact() {
    for path in Path::ALL {
        concurrency_limit_is_exact_on(path);
    }
}

fn concurrency_limit_is_exact_on(path: Path) {
    let running = Concurrency::default();
    let gate = Gate::default();
    std::thread::scope(|s| {
        let looped = s.spawn(|| {
            path.try_for_each(0..40, 4, |_| {
                let _running = running.enter();
                gate.wait();
                std::thread::sleep(Duration::from_micros(300));
                Ok::<(), ()>(())
            })
        });
        wait_until("4 iterations run", || running.now() == 4);
        // A fifth would have started by now if the limit leaked.
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(running.now(), 4);
        gate.open();
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
    assert_eq!(
        running.max(),
        4,
        "{path:?}: never more than `workers` iterations at once"
    );
}

/// Test 3a: once the failure is recorded, nothing more is pulled and nothing starts.
#[test]
fn nothing_is_pulled_or_started_after_a_failure() {
    let pulled = AtomicUsize::new(0);
    let running = Concurrency::default();
    let pulled_at_failure = AtomicUsize::new(usize::MAX);
    let started_after = AtomicUsize::new(0);
    let result = try_for_each(counted(0.., &pulled), 4, |i| {
        if cancelled() {
            started_after.fetch_add(1, Ordering::SeqCst);
        }
        let _running = running.enter();
        if i == 3 {
            // Fail once the three others run and the caller is blocked on a full queue.
            wait_until("3 others run", || running.now() == 4);
            wait_until("4 items wait", || pulled.load(Ordering::SeqCst) == 8);
            std::thread::sleep(Duration::from_millis(20));
            pulled_at_failure.store(pulled.load(Ordering::SeqCst), Ordering::SeqCst);
            return Err(i);
        }
        while !cancelled() {
            std::thread::yield_now();
        }
        Ok(())
    });
    assert_eq!(result, Err(3));
    let pulled = pulled.load(Ordering::SeqCst);
    assert_eq!(pulled, 8, "4 running + 4 pulled ahead, then nothing more");
    assert_eq!(pulled_at_failure.load(Ordering::SeqCst), 8);
    assert_eq!(
        started_after.load(Ordering::SeqCst),
        0,
        "no queued item started"
    );
}

/// Test 3b: racing failures start at most `workers - 1` iterations after the failure is
/// recorded (an iteration that sees `cancelled()` on entry started after it).
#[test]
fn at_most_workers_minus_one_start_after_a_failure() {
    for round in 0..scaled(300) {
        let workers = 2 + round % 7;
        let path = Path::ALL[round % 3];
        let started_after = AtomicUsize::new(0);
        let result = path.try_for_each(0..10_000, workers, |i| {
            if cancelled() {
                started_after.fetch_add(1, Ordering::SeqCst);
            }
            if i == 50 + round {
                return Err(i);
            }
            Ok(())
        });
        assert_eq!(result, Err(50 + round));
        let started_after = started_after.load(Ordering::SeqCst);
        assert!(
            started_after < workers,
            "round {round}: {started_after} iterations started after the failure with {workers} workers on the {path:?} path"
        );
    }
}

/// Test 3c: while iterations are slow, the input is pulled at most `workers` items ahead of
/// the running iterations. Checked each time the loop is at rest: every worker blocked in an
/// iteration and the caller blocked on a full queue.
#[test]
fn slow_iterations_pull_at_most_workers_ahead() {
    let workers = 4;
    let pulled = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let running = Concurrency::default();
    let release = (0..40).map(|_| Gate::default()).collect::<Vec<_>>();
    std::thread::scope(|s| {
        let looped = s.spawn(|| {
            try_for_each(counted(0..40, &pulled), workers, |i: usize| {
                let _running = running.enter();
                release[i].wait();
                finished.fetch_add(1, Ordering::SeqCst);
                Ok::<(), ()>(())
            })
        });
        for (i, gate) in release.iter().enumerate().take(40 - 2 * workers) {
            wait_until("the loop is at rest", || {
                running.now() == workers && pulled.load(Ordering::SeqCst) == i + 2 * workers
            });
            // Give the caller a chance to pull further if the bound leaked.
            std::thread::sleep(Duration::from_millis(2));
            let ahead = pulled.load(Ordering::SeqCst) - i - workers;
            assert_eq!(
                ahead, workers,
                "step {i}: items pulled ahead of the running ones"
            );
            gate.open();
            wait_until("the released item finished", || {
                finished.load(Ordering::SeqCst) == i + 1
            });
        }
        release.iter().for_each(Gate::open);
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
}

/// Test 3d: with trivial iterations the engine hands out batches, but never holds more than
/// 64 unstarted items per worker.
#[test]
fn fast_iterations_pull_at_most_64_per_worker_ahead() {
    for workers in [1, 2, 3, 8, 4, 5] {
        let pulled = AtomicUsize::new(0);
        let started = AtomicUsize::new(0);
        let most_ahead = AtomicUsize::new(0);
        let input = (0..scaled(40_000) as u64).inspect(|_| {
            let pulled = pulled.fetch_add(1, Ordering::SeqCst) + 1;
            let ahead = pulled - started.load(Ordering::SeqCst);
            most_ahead.fetch_max(ahead, Ordering::SeqCst);
        });
        let sum = AtomicUsize::new(0);
        // The caller's path and the shared iterator's; an input split by index pulls nothing.
        let path = if workers % 2 == 0 {
            Path::Shared
        } else {
            Path::Caller
        };
        let result: Result<(), ()> = path.try_for_each(input, workers, |n| {
            started.fetch_add(1, Ordering::SeqCst);
            sum.fetch_add(n as usize & 1, Ordering::Relaxed);
            Ok(())
        });
        assert_eq!(result, Ok(()));
        assert_eq!(sum.load(Ordering::SeqCst), scaled(40_000) / 2);
        let most_ahead = most_ahead.load(Ordering::SeqCst);
        let bound = 64 * workers;
        assert!(
            most_ahead <= bound,
            "{most_ahead} items pulled ahead with {workers} workers"
        );
    }
}

/// Test 3e: pulled by the workers themselves, a slow input's items are taken one at a time:
/// never more than `workers` ahead of the started ones.
#[test]
fn a_shared_input_of_slow_iterations_pulls_at_most_workers_ahead() {
    for workers in [1, 2, 4] {
        let pulled = AtomicUsize::new(0);
        let started = AtomicUsize::new(0);
        let most_ahead = AtomicUsize::new(0);
        let input = (0..scaled(60)).inspect(|_| {
            let pulled = pulled.fetch_add(1, Ordering::SeqCst) + 1;
            most_ahead.fetch_max(pulled - started.load(Ordering::SeqCst), Ordering::SeqCst);
        });
        let result = Path::Shared.try_for_each(input, workers, |_| {
            started.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(1));
            Ok::<(), ()>(())
        });
        assert_eq!(result, Ok(()));
        let most_ahead = most_ahead.into_inner();
        assert!(
            most_ahead <= workers,
            "{most_ahead} items pulled ahead of the started ones with {workers} workers"
        );
    }
}

/// Test 4: an endless input with a failure terminates.
#[test]
fn endless_input_with_a_failure_terminates() {
    let result = try_for_each(0u64.., 8, |i| if i == 1_000 { Err(i) } else { Ok(()) });
    assert_eq!(result, Err(1_000));
}

/// `workers = usize::MAX` is "no limit" to many callers (futures' `buffer_unordered` takes
/// it so): on every path the loop runs, and fails, as with any other limit. The engine's
/// batch arithmetic overflowed on it (a panic in a debug build, a division by zero in
/// release).
#[test]
fn a_limit_as_large_as_usize_max_works_on_every_path() {
    let len = scaled(10_000);
    for path in Path::ALL {
        for workers in [usize::MAX, usize::MAX / 2 + 1, 1 << 40] {
            let sum = AtomicUsize::new(0);
            let all = path.try_for_each(0..len, workers, |n| {
                sum.fetch_add(n, Ordering::Relaxed);
                Ok::<(), usize>(())
            });
            assert_eq!(all, Ok(()), "{path:?}, {workers} workers");
            assert_eq!(sum.into_inner(), len * (len - 1) / 2, "{path:?}, {workers}");
            let failed =
                path.try_for_each(
                    0..len,
                    workers,
                    |n| if n == len / 2 { Err(n) } else { Ok(()) },
                );
            assert_eq!(failed, Err(len / 2), "{path:?}, {workers} workers");
        }
    }
}
