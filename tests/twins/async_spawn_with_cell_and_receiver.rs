// A spawned async function whose loop counts in a `Cell` and reads a side channel's
// `Receiver`: both `Send` but not `Sync`, so only the loop's own task may use them.
use failfast::fail_fast;
use std::cell::Cell;
use std::time::Duration;

#[fail_fast(workers = 4)]
async fn serve(
    mut jobs: tokio::sync::mpsc::Receiver<u32>,
    bonus: std::sync::mpsc::Receiver<u32>,
) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    while let Some(job) = jobs.recv().await {
        hits.set(hits.get() + job + bonus.try_recv().unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok(hits.get())
}

#[tokio::main]
async fn main() {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (bonus_tx, bonus) = std::sync::mpsc::channel();
    bonus_tx.send(100).unwrap();
    let served = tokio::spawn(serve(rx, bonus));
    for job in 1..=10 {
        tx.send(job).await.unwrap();
    }
    drop(tx);
    assert_eq!(served.await.unwrap(), Ok(155));
}
