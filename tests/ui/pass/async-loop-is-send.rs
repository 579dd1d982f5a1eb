// The loop's future is `Send` when the body holds only `Send` values across its awaits:
// `tokio::spawn` of a function with an async loop compiles, borrowing its arguments.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

struct Client {
    requests: AtomicUsize,
}

impl Client {
    async fn get(&self, url: &str) -> Result<usize, String> {
        tokio::task::yield_now().await;
        self.requests.fetch_add(1, Ordering::Relaxed);
        Ok(url.len())
    }
}

#[fail_fast(workers = 8)]
async fn fetch_all(urls: &[String], client: &Client) -> Result<(), String> {
    for url in urls {
        let length = client.get(url).await?;
        if length == 0 {
            return Err("an empty url".into());
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let client = Arc::new(Client { requests: AtomicUsize::new(0) });
    let urls: Vec<String> = (0..100).map(|i| format!("https://example.com/{i}")).collect();
    let task = tokio::spawn({
        let client = Arc::clone(&client);
        async move { fetch_all(&urls, &client).await }
    });
    assert_eq!(task.await.unwrap(), Ok(()));
    assert_eq!(client.requests.load(Ordering::Relaxed), 100);
}
