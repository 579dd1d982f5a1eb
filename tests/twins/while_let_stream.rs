// An async stream's items, each awaited on in the body.
use failfast::fail_fast;
use futures::StreamExt;

async fn fetch(n: u32) -> Result<u32, String> {
    tokio::task::yield_now().await;
    if n == 0 {
        Err("nothing to fetch".into())
    } else {
        Ok(n)
    }
}

#[fail_fast(workers = 8)]
async fn fetch_all(ids: Vec<u32>) -> Result<(), String> {
    let mut ids = futures::stream::iter(ids);
    while let Some(id) = ids.next().await {
        fetch(id).await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert!(fetch_all(vec![1, 2, 3]).await.is_ok());
    assert!(fetch_all(vec![1, 0, 3]).await.is_err());
}
