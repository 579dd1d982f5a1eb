// `return` and `continue` in the arms of `tokio::select!`, in an async loop.
use failfast::fail_fast;
use std::time::Duration;

async fn fetch(x: u32) -> Result<u32, String> {
    tokio::time::sleep(Duration::from_millis(u64::from(x))).await;
    Ok(x)
}

#[fail_fast(workers = 4)]
async fn find(xs: &[u32], wanted: u32) -> Result<Option<u32>, String> {
    for &x in xs {
        tokio::select! {
            r = fetch(x) => {
                let r = r?;
                if r != wanted {
                    continue;
                }
                return Ok(Some(x));
            }
            () = tokio::time::sleep(Duration::from_secs(5)) => return Err(format!("timeout on {x}")),
        }
    }
    Ok(None)
}

#[tokio::main]
async fn main() {
    assert_eq!(find(&[1, 3, 2], 3).await, Ok(Some(3)));
    assert_eq!(find(&[1, 2], 3).await, Ok(None));
}
