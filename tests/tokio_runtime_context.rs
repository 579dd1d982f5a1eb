//! Iterations see the caller's tokio runtime: a thread loop started inside one (an `async fn`
//! whose loop does not await, or a `block_on`) runs its pool threads' iterations in it, so
//! that `tokio::spawn` and `Handle::current()` in the body work as in the sequential loop; a
//! loop started outside any runtime runs none, also on a pool thread that ran a loop inside
//! one before.
//!
//! Without the `tokio` feature (`cargo test --no-default-features --test tokio_runtime_context`)
//! only the last test runs: pool threads have no runtime.
#![cfg_attr(not(feature = "tokio"), allow(dead_code, unused_imports))]
use failfast::fail_fast;
use std::collections::HashSet;
use std::sync::{Barrier, Mutex};
use std::thread::ThreadId;
use tokio::runtime::{Handle, Runtime};

/// Each iteration spawns a task on the current runtime and reports the runtime's id and its
/// own thread; all `workers` iterations run at once, so that pool threads run some.
#[fail_fast(workers = 4)]
async fn spawn_from_every_iteration(
    all_running: &Barrier,
    seen: &Mutex<Vec<(tokio::runtime::Id, ThreadId)>>,
    spawned: &tokio::sync::mpsc::UnboundedSender<u32>,
) -> Result<(), String> {
    for i in 0..4_u32 {
        all_running.wait();
        let handle = Handle::try_current().map_err(|e| e.to_string())?;
        let spawned = spawned.clone();
        tokio::spawn(async move { spawned.send(i).unwrap() });
        seen.lock()
            .unwrap()
            .push((handle.id(), std::thread::current().id()));
    }
    Ok(())
}

#[cfg(feature = "tokio")]
#[test]
fn pool_threads_run_iterations_in_the_callers_runtime() {
    for flavor in ["current_thread", "multi_thread"] {
        let runtime = match flavor {
            "current_thread" => tokio::runtime::Builder::new_current_thread().build(),
            _ => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .build(),
        }
        .unwrap();
        let seen = Mutex::new(Vec::new());
        let (spawned, mut received) = tokio::sync::mpsc::unbounded_channel();
        runtime.block_on(async {
            let caller = std::thread::current().id();
            spawn_from_every_iteration(&Barrier::new(4), &seen, &spawned)
                .await
                .unwrap();
            let seen = std::mem::take(&mut *seen.lock().unwrap());
            assert_eq!(seen.len(), 4, "{flavor}");
            assert!(
                seen.iter().all(|(id, _)| *id == Handle::current().id()),
                "{flavor}: every iteration sees the caller's runtime"
            );
            let threads: HashSet<ThreadId> = seen.iter().map(|(_, thread)| *thread).collect();
            assert!(
                threads.iter().any(|thread| *thread != caller),
                "{flavor}: pool threads ran some iterations"
            );
            // The spawned tasks run on the runtime.
            let mut got: Vec<u32> = Vec::new();
            for _ in 0..4 {
                got.push(received.recv().await.unwrap());
            }
            got.sort_unstable();
            assert_eq!(got, [0, 1, 2, 3], "{flavor}");
        });
    }
}

/// Whether each iteration saw a runtime.
#[fail_fast(workers = 4)]
fn runtimes_seen(all_running: &Barrier, seen: &Mutex<Vec<bool>>) -> Result<(), String> {
    for _ in 0..4 {
        all_running.wait();
        seen.lock().unwrap().push(Handle::try_current().is_ok());
    }
    Ok(())
}

#[cfg(feature = "tokio")]
#[test]
fn a_blocking_call_inside_a_runtime_carries_it() {
    let runtime = Runtime::new().unwrap();
    let seen = Mutex::new(Vec::new());
    runtime.block_on(async { runtimes_seen(&Barrier::new(4), &seen).unwrap() });
    assert_eq!(seen.into_inner().unwrap(), [true; 4]);
}

#[test]
fn a_loop_outside_any_runtime_runs_in_none() {
    // Pool threads that ran iterations inside a runtime first (with the feature) leave it
    // when their visit ends.
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async { runtimes_seen(&Barrier::new(4), &Mutex::new(Vec::new())).unwrap() });
    for _ in 0..20 {
        let seen = Mutex::new(Vec::new());
        runtimes_seen(&Barrier::new(4), &seen).unwrap();
        assert_eq!(seen.into_inner().unwrap(), [false; 4]);
    }
}
