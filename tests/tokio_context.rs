//! With the `tokio` feature (on by default), an iteration on a pool thread runs in the tokio
//! runtime that the loop's caller was in, as the sequential loop's iterations do: a thread loop
//! in an `async fn` (a body that does not await) may `tokio::spawn` a task per item and call
//! `Handle::current()`, on every input path and through the function API. Each loop's
//! iterations meet at a `Barrier` of `workers`, so that pool threads run some of them; without
//! the runtime there, `Handle::current()` panics and the loop with it.
#![cfg(feature = "tokio")]

use failfast::fail_fast;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::{Barrier, Mutex};
use std::thread::ThreadId;
use tokio::sync::mpsc::UnboundedSender;

const WORKERS: usize = 4;

/// What one iteration does: meets the others, then spawns a task on the caller's runtime that
/// sends its item back.
fn spawn_from_here(
    item: u32,
    met: &Barrier,
    threads: &Mutex<HashSet<ThreadId>>,
    tx: &UnboundedSender<u32>,
) {
    met.wait();
    threads.lock().unwrap().insert(std::thread::current().id());
    let _runtime = tokio::runtime::Handle::current();
    let tx = tx.clone();
    tokio::spawn(async move { tx.send(item).unwrap() });
}

#[fail_fast(workers = WORKERS)]
async fn by_index(
    n: u32,
    met: &Barrier,
    threads: &Mutex<HashSet<ThreadId>>,
    tx: &UnboundedSender<u32>,
) -> Result<(), String> {
    for item in 0..n {
        spawn_from_here(item, met, threads, tx);
    }
    Ok(())
}

#[fail_fast(workers = WORKERS)]
async fn shared(
    n: u32,
    met: &Barrier,
    threads: &Mutex<HashSet<ThreadId>>,
    tx: &UnboundedSender<u32>,
) -> Result<(), String> {
    for item in (0..n).map(|i| i + 100) {
        spawn_from_here(item, met, threads, tx);
    }
    Ok(())
}

#[fail_fast(workers = WORKERS)]
async fn fed(
    n: u32,
    met: &Barrier,
    threads: &Mutex<HashSet<ThreadId>>,
    tx: &UnboundedSender<u32>,
) -> Result<(), String> {
    let offset = Rc::new(200);
    for item in (0..n).map(move |i| i + *offset) {
        spawn_from_here(item, met, threads, tx);
    }
    Ok(())
}

#[fail_fast(workers = WORKERS)]
async fn headed(
    jobs: std::sync::mpsc::Receiver<u32>,
    met: &Barrier,
    threads: &Mutex<HashSet<ThreadId>>,
    tx: &UnboundedSender<u32>,
) -> Result<(), String> {
    while let Ok(item) = jobs.recv() {
        spawn_from_here(item, met, threads, tx);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_threads_spawn_on_the_callers_runtime_on_every_path() {
    // One meeting a loop: after a failure, an iteration waiting for the next one would wait
    // for ever.
    let n = WORKERS as u32;
    let met = Barrier::new(WORKERS);
    let threads = Mutex::new(HashSet::new());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    by_index(n, &met, &threads, &tx).await.unwrap();
    shared(n, &met, &threads, &tx).await.unwrap();
    fed(n, &met, &threads, &tx).await.unwrap();
    let (jobs_tx, jobs) = std::sync::mpsc::channel();
    for job in 300..300 + n {
        jobs_tx.send(job).unwrap();
    }
    drop(jobs_tx);
    headed(jobs, &met, &threads, &tx).await.unwrap();
    failfast::try_for_each(400..400 + n, WORKERS, |item| {
        spawn_from_here(item, &met, &threads, &tx);
        Ok::<(), String>(())
    })
    .unwrap();
    drop(tx);
    let mut got = Vec::new();
    while let Some(item) = rx.recv().await {
        got.push(item);
    }
    got.sort_unstable();
    let expected: Vec<u32> = [0, 100, 200, 300, 400]
        .into_iter()
        .flat_map(|base| base..base + n)
        .collect();
    assert_eq!(got, expected, "every iteration's task ran");
    let caller = std::thread::current().id();
    let threads = threads.into_inner().unwrap();
    assert!(
        threads.iter().any(|thread| *thread != caller),
        "pool threads ran iterations"
    );
}
