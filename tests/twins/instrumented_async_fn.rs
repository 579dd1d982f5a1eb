// `#[tracing::instrument]` above `#[fail_fast]` on an `async fn`: instrument wraps the body in
// an async block first, and the loop the user wrote is still the one picked.
use failfast::fail_fast;

async fn fetch(id: u32) -> Result<u32, String> {
    if id == 0 {
        Err("no id 0".to_string())
    } else {
        Ok(id * 2)
    }
}

#[tracing::instrument(skip(ids), err)]
#[fail_fast(workers = 4)]
async fn fetch_all(ids: Vec<u32>, label: &str) -> Result<(), String> {
    for id in ids {
        let size = fetch(id).await?;
        tracing::info!(size, "fetched");
    }
    Ok(())
}

fn main() {
    assert!(futures::executor::block_on(fetch_all(vec![1, 2, 3], "ok")).is_ok());
    assert!(futures::executor::block_on(fetch_all(vec![1, 0, 3], "fails")).is_err());
}
