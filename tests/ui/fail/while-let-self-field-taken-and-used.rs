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

fn main() {}
