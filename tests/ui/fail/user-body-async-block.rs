// A `let body = async { .. }` the user wrote hides its loop from the function's attribute,
// as every async block does; only the one `#[tokio::main]` writes does not.
use failfast::fail_fast;

async fn fetch(id: u32) -> Result<(), String> {
    if id == 0 { Err("no id 0".into()) } else { Ok(()) }
}

#[fail_fast(workers = 2)]
fn fetch_all(ids: Vec<u32>) -> Result<(), String> {
    let body = async move {
        for id in ids {
            fetch(id).await?;
        }
        Ok(())
    };
    futures::executor::block_on(body)
}

fn main() {
    let _ = fetch_all(vec![1]);
}
