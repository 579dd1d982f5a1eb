// A spawned async fn whose loop logs a `Cell` local with `tracing` (a field's value, a format
// argument, a name in the message), beside a field written as a variable alone and one with a
// sigil. The sequential future holds the `Cell` by value (`Send`); the parallel one's
// iterations borrow it only within a statement that does not await, and are `Send` too.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
async fn traced(xs: Vec<u32>) -> Result<u32, String> {
    let base = Cell::new(10u32);
    let seen = Cell::new(0u32);
    let label = "batch";
    for x in xs {
        tokio::task::yield_now().await;
        tracing::info!(base = base.get(), x, "got {} after {seen:?}", seen.get() + 1);
        tracing::debug!(%label, "next");
        seen.set(seen.get() + 1);
    }
    Ok(base.get() + seen.get())
}

#[tokio::main]
async fn main() {
    let total = tokio::spawn(traced(vec![1, 2])).await.unwrap();
    assert_eq!(total, Ok(12));
}
