// Async loops over inputs that borrow a temporary of the `for` expression: the lines of an
// upper-cased copy, a `Vec` that an awaited call returns, the guard of a tokio `RwLock`. As in
// the sequential `for`, the temporary lives until the loop has ended.
use failfast::fail_fast;
use tokio::sync::RwLock;

async fn get(u: &str) -> Result<usize, String> {
    tokio::task::yield_now().await;
    Ok(u.len())
}

async fn list() -> Result<Vec<String>, String> {
    Ok(vec!["a".into(), "bb".into()])
}

#[fail_fast(workers = 4)]
async fn lines(body: &str) -> Result<(), String> {
    for line in body.to_uppercase().lines() {
        get(line).await?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn listed() -> Result<(), String> {
    for u in &list().await? {
        get(u).await?;
    }
    Ok(())
}

struct Registry {
    urls: RwLock<Vec<String>>,
}

impl Registry {
    #[fail_fast(workers = 8)]
    async fn ping_all(&self) -> Result<(), String> {
        for u in self.urls.read().await.iter() {
            get(u).await?;
        }
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    lines("a\nb").await.unwrap();
    listed().await.unwrap();
    let registry = Registry {
        urls: RwLock::new(vec!["x".into()]),
    };
    tokio::spawn(async move { registry.ping_all().await })
        .await
        .unwrap()
        .unwrap();
}
