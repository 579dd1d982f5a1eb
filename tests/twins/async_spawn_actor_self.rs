// An actor-shaped type whose async methods, on `&mut self` and on `self`, run a marked loop
// that calls its methods and reads its fields, one of which is `Send` but not `Sync` (an mpsc
// `Receiver`). The sequential loop's future holds `&mut Worker` (or `Worker`), `Send` because
// `Worker` is; the parallel one's is too, and `tokio::spawn` takes it.
use failfast::fail_fast;
use std::sync::mpsc::{channel, Receiver};

pub trait Storage {
    fn key(&self, x: u32) -> String;
}

pub struct Worker {
    store: Box<dyn Storage + Send>,
    extra: Receiver<u32>,
    seen: u32,
}

impl Worker {
    fn key(&self, x: u32) -> String {
        self.store.key(x)
    }

    #[fail_fast(workers = 4)]
    pub async fn process(&mut self, xs: Vec<u32>) -> Result<u32, String> {
        for x in xs {
            let key = self.key(x);
            tokio::task::yield_now().await;
            let more = self.extra.try_recv().unwrap_or(0);
            if key.is_empty() || more > 100 {
                return Err(format!("no key for {x}"));
            }
        }
        self.seen += 1;
        Ok(self.seen)
    }

    #[fail_fast(workers = 4)]
    pub async fn consume(self, xs: Vec<u32>) -> Result<usize, String> {
        let mut total = 0;
        for x in xs {
            let key = self.key(x);
            tokio::task::yield_now().await;
            if key.len() > 10 {
                return Err(key);
            }
        }
        total += self.seen as usize;
        Ok(total)
    }
}

struct Keys;

impl Storage for Keys {
    fn key(&self, x: u32) -> String {
        format!("k{x}")
    }
}

#[tokio::main]
async fn main() {
    let (sent, extra) = channel();
    sent.send(7).unwrap();
    let mut worker = Worker {
        store: Box::new(Keys),
        extra,
        seen: 0,
    };
    let (processed, worker) = tokio::spawn(async move {
        let processed = worker.process(vec![1, 2, 3]).await;
        (processed, worker)
    })
    .await
    .unwrap();
    assert_eq!(processed, Ok(1));
    assert_eq!(tokio::spawn(worker.consume(vec![4, 5])).await.unwrap(), Ok(1));
}
