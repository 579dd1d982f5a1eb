// A loop that awaits in an `async fn` is an async loop: its iterations are futures polled
// together on the awaiting task, at most `workers` at once.
use failfast::fail_fast;

async fn fetch(url: &str) -> Result<(), String> {
    if url.ends_with("404") {
        Err(format!("{url}: not found"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 4)]
async fn fetch_all(urls: Vec<String>) -> Result<(), String> {
    for url in urls {
        fetch(&url).await?;
    }
    Ok(())
}

fn main() {
    let urls = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(futures::executor::block_on(fetch_all(urls(&["a", "b"]))), Ok(()));
    assert_eq!(
        futures::executor::block_on(fetch_all(urls(&["a", "b/404", "c"]))),
        Err("b/404: not found".to_string())
    );
}
