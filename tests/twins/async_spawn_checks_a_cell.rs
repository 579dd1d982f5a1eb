// A spawned async function whose loop checks a `Cell` counter with `anyhow::ensure!` and
// `assert!`, each with a message of its own (which is all they print, not their condition's
// source). The `Cell` is `Send` but not `Sync`: only the loop's own task uses it.
use failfast::fail_fast;
use std::cell::Cell;

async fn fetch(x: u32) -> anyhow::Result<u32> {
    tokio::task::yield_now().await;
    Ok(x)
}

#[fail_fast(workers = 4)]
async fn count(xs: Vec<u32>, limit: u32) -> anyhow::Result<u32> {
    let hits = Cell::new(0);
    for x in xs {
        let v = fetch(x).await?;
        hits.set(hits.get() + v);
        anyhow::ensure!(hits.get() < limit, "over the limit after {}", hits.get());
        assert!(hits.get() >= v, "{hits:?} lost {v}");
        debug_assert!(hits.get() > 0, "nothing counted");
    }
    Ok(hits.get())
}

#[tokio::main]
async fn main() {
    let counted = tokio::spawn(count(vec![1, 2, 3], 10)).await.unwrap().unwrap();
    assert_eq!(counted, 6);
}
