// A spawned async function that counts its results in a struct of `Cell`s, used only through
// its fields, and an actor's `&mut self` method that counts in its own fields while it keeps
// a `&mut` of another field across the loop. The `Cell`s are `Send` but not `Sync`: only the
// loop's own task uses them.
use failfast::fail_fast;
use std::cell::Cell;

#[derive(Default)]
struct Stats {
    fetched: Cell<u32>,
    skipped: Cell<u32>,
}

async fn fetch(x: u32) -> anyhow::Result<Option<u32>> {
    tokio::task::yield_now().await;
    Ok((x % 3 != 0).then_some(x))
}

#[fail_fast(workers = 4)]
async fn count(xs: Vec<u32>) -> anyhow::Result<(u32, u32)> {
    let stats = Stats::default();
    for x in xs {
        match fetch(x).await? {
            Some(v) => stats.fetched.set(stats.fetched.get() + v),
            None => stats.skipped.set(stats.skipped.get() + 1),
        }
    }
    Ok((stats.fetched.get(), stats.skipped.get()))
}

struct Crawler {
    stats: Stats,
    errors: Vec<String>,
}

impl Crawler {
    #[fail_fast(workers = 2)]
    async fn crawl(&mut self, xs: Vec<u32>) -> anyhow::Result<u32> {
        let errors = &mut self.errors;
        for x in xs {
            if fetch(x).await?.is_some() {
                self.stats.fetched.set(self.stats.fetched.get() + 1);
            }
        }
        errors.clear();
        Ok(self.stats.fetched.get())
    }
}

#[tokio::main]
async fn main() {
    let counted = tokio::spawn(count(vec![1, 2, 3, 4])).await.unwrap().unwrap();
    assert_eq!(counted, (7, 1));
    let mut crawler = Crawler { stats: Stats::default(), errors: vec!["old".into()] };
    let crawled = tokio::spawn(async move {
        let crawled = crawler.crawl(vec![1, 2, 3]).await.unwrap();
        (crawled, crawler.errors.len())
    });
    assert_eq!(crawled.await.unwrap(), (2, 0));
}
