// An async `while let` loop's future is `Send` when the sequential loop's would be:
// `tokio::spawn` of a function that drains a channel compiles, and the head (`recv().await`)
// is awaited while the iterations run.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

#[fail_fast(workers = 8)]
async fn serve(jobs: &mut mpsc::Receiver<String>, done: &AtomicUsize) -> Result<(), String> {
    while let Some(job) = jobs.recv().await {
        tokio::task::yield_now().await;
        if job.is_empty() {
            return Err("an empty job".into());
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(16);
    let done = Arc::new(AtomicUsize::new(0));
    let task = tokio::spawn({
        let done = Arc::clone(&done);
        async move { serve(&mut rx, &done).await }
    });
    for i in 0..100 {
        tx.send(format!("job {i}")).await.unwrap();
    }
    drop(tx);
    assert_eq!(task.await.unwrap(), Ok(()));
    assert_eq!(done.load(Ordering::Relaxed), 100);
}
