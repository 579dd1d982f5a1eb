// `#[tokio::main]` above `#[fail_fast]`: tokio wraps the body in `let body = async { .. };`
// first, and the loop the user wrote is still the one picked.
use failfast::fail_fast;

async fn fetch(id: u32) -> Result<u32, String> {
    tokio::task::yield_now().await;
    if id == 0 {
        Err(format!("no id {id}"))
    } else {
        Ok(id * 2)
    }
}

#[tokio::main]
#[fail_fast(workers = 4)]
async fn main() -> Result<(), String> {
    let total = std::sync::atomic::AtomicU32::new(0);
    for id in [1, 2, 3] {
        let size = fetch(id).await?;
        total.fetch_add(size, std::sync::atomic::Ordering::Relaxed);
    }
    assert_eq!(total.into_inner(), 12);
    Ok(())
}
