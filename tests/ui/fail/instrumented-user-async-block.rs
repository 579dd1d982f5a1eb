// `#[tracing::instrument]` above `#[fail_fast]` does not make the user's own async block
// transparent: a function that returns the block's future still has no outermost loop.
use failfast::fail_fast;
use std::future::Future;

async fn fetch(id: u32) -> Result<(), String> {
    if id == 0 { Err("no id 0".into()) } else { Ok(()) }
}

#[tracing::instrument(skip_all)]
#[fail_fast(workers = 2)]
fn fetch_all(ids: Vec<u32>) -> impl Future<Output = Result<(), String>> {
    async move {
        for id in ids {
            fetch(id).await?;
        }
        Ok(())
    }
}

fn main() {
    let _ = fetch_all(vec![1]);
}
