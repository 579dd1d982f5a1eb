use failfast::fail_fast;
use std::collections::VecDeque;

struct Worklist {
    queue: VecDeque<u32>,
    limit: u32,
}

impl Worklist {
    fn check(&self, job: u32) -> bool {
        job <= self.limit
    }

    // The head takes from `self.queue` while iterations use all of `self`.
    #[fail_fast(workers = 2)]
    fn drain(&mut self) -> Result<(), String> {
        while let Some(job) = self.queue.pop_front() {
            if !self.check(job) {
                return Err(format!("{job} is over the limit"));
            }
        }
        Ok(())
    }

    // ...or the same field.
    #[fail_fast(workers = 2)]
    fn drain_counting(&mut self) -> Result<(), String> {
        while let Some(job) = self.queue.pop_front() {
            if self.queue.len() as u32 == job {
                return Err(format!("{job} equals what is left"));
            }
        }
        Ok(())
    }

    // The same in an async loop.
    #[fail_fast(workers = 2)]
    async fn drain_async(&mut self) -> Result<(), String> {
        while let Some(job) = self.queue.pop_front() {
            std::future::ready(()).await;
            if !self.check(job) {
                return Err(format!("{job} is over the limit"));
            }
        }
        Ok(())
    }
}

// An actor: tokio's `recv` takes `&mut self`, and `self.handle(..)` uses all of `self`.
struct Actor {
    inbox: tokio::sync::mpsc::Receiver<u32>,
    limit: u32,
}

impl Actor {
    async fn handle(&self, message: u32) -> Result<(), String> {
        if message > self.limit {
            return Err(format!("{message} is over the limit"));
        }
        Ok(())
    }

    #[fail_fast(workers = 4)]
    async fn run(&mut self) -> Result<(), String> {
        while let Some(message) = self.inbox.recv().await {
            self.handle(message).await?;
        }
        Ok(())
    }
}

// A standard iterator's `next` takes `&mut self` too.
struct Ids {
    ids: std::vec::IntoIter<u32>,
    limit: u32,
}

impl Ids {
    #[fail_fast(workers = 2)]
    fn check(&mut self) -> Result<(), String> {
        while let Some(id) = self.ids.next() {
            if id > self.limit || self.ids.len() == 0 {
                return Err(format!("{id}"));
            }
        }
        Ok(())
    }
}

fn main() {}
