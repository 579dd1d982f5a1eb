// An async loop's iterations may use a local that is not `Sync` (a `Cell`), as they all run on
// the task that polls the loop; threads that they start may not, as in the sequential loop.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
async fn count(items: Vec<u32>) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    for x in items {
        std::thread::scope(|s| {
            s.spawn(|| hits.set(hits.get() + x));
        });
        tokio::task::yield_now().await;
    }
    Ok(hits.get())
}

fn main() {
    let _ = count(vec![1, 2]);
}
