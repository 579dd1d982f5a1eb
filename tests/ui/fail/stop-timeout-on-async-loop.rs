use failfast::fail_fast;
use std::time::Duration;

async fn fetch(_url: &str) -> Result<(), String> {
    Ok(())
}

#[fail_fast(workers = 8, timeout = Duration::from_secs(10))]
async fn fetch_all(urls: &[&str]) -> Result<(), String> {
    for url in urls {
        fetch(url).await?;
    }
    Ok(())
}

fn main() {}
