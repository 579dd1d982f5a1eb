// An async loop whose input adapts borrowed items with a closure (`.filter(|u| ..)` over
// `urls.iter()`): the function's future is `Send` as the sequential loop's is, so
// `tokio::spawn` takes it. (The loop's state named the items' type through the adapter, and
// rustc could not prove that type `Send` for every lifetime of the borrow: "implementation of
// `FnOnce` is not general enough", at the spawn.)
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

static FETCHED: AtomicUsize = AtomicUsize::new(0);

async fn get(url: &str) -> Result<(), String> {
    tokio::task::yield_now().await;
    if url.contains("bad") {
        return Err(format!("{url} failed"));
    }
    FETCHED.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

#[fail_fast(workers = 8)]
async fn fetch_filtered(urls: &[String]) -> Result<(), String> {
    for url in urls.iter().filter(|u| u.starts_with("http")) {
        get(url).await?;
    }
    Ok(())
}

#[fail_fast(workers = 8)]
async fn fetch_trimmed(urls: Vec<String>) -> Result<(), String> {
    for url in urls.iter().map(|u| u.trim()) {
        get(url).await?;
    }
    Ok(())
}

#[fail_fast(workers = 8)]
async fn fetch_present(urls: Vec<Option<String>>) -> Result<(), String> {
    for url in urls.iter().filter_map(|u| u.as_deref()) {
        get(url).await?;
    }
    Ok(())
}

struct Crawler {
    urls: Vec<String>,
    skip: String,
}

impl Crawler {
    #[fail_fast(workers = 4)]
    async fn crawl(&self) -> Result<(), String> {
        for url in self.urls.iter().filter(|u| **u != self.skip) {
            get(url).await?;
        }
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    let urls: Arc<Vec<String>> =
        Arc::new((0..20).map(|i| format!("https://example.com/{i}")).collect());
    let spawned = |urls: &Arc<Vec<String>>| Arc::clone(urls);

    let list = spawned(&urls);
    assert_eq!(tokio::spawn(async move { fetch_filtered(&list).await }).await.unwrap(), Ok(()));
    let list = spawned(&urls);
    assert_eq!(tokio::spawn(async move { fetch_trimmed(list.to_vec()).await }).await.unwrap(), Ok(()));
    let list: Vec<Option<String>> = urls.iter().cloned().map(Some).chain([None]).collect();
    assert_eq!(tokio::spawn(fetch_present(list)).await.unwrap(), Ok(()));
    let crawler = Arc::new(Crawler { urls: urls.to_vec(), skip: urls[0].clone() });
    assert_eq!(tokio::spawn(async move { crawler.crawl().await }).await.unwrap(), Ok(()));
    assert_eq!(FETCHED.load(Ordering::Relaxed), 20 + 20 + 20 + 19);

    let bad = vec!["https://bad.example".to_string()];
    assert_eq!(
        tokio::spawn(async move { fetch_filtered(&bad).await }).await.unwrap(),
        Err("https://bad.example failed".to_string())
    );
}
