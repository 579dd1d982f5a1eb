// A `while let` head that calls a `&self` method of the user's own (`next_id`, `pop_job`, even
// `next` and `recv`: an atomic, a queue behind a lock) on a `&mut self`, a `&mut` parameter or
// a `let mut` local, with the body using the same value: nothing is used mutably, so the loop
// compiles.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

struct Work {
    next: AtomicU32,
    last: u32,
    done: bool,
}

impl Work {
    fn next_id(&self) -> Option<u32> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        (id <= self.last).then_some(id)
    }

    fn process(&self, id: u32) -> Result<(), String> {
        if id > self.last {
            return Err(format!("{id} is past the end"));
        }
        Ok(())
    }

    #[fail_fast(workers = 4)]
    fn run(&mut self) -> Result<(), String> {
        while let Some(id) = self.next_id() {
            self.process(id)?;
        }
        self.done = true;
        Ok(())
    }
}

// Named as an iterator's and a channel's taking methods, but on `&self`.
struct Counter {
    next: AtomicU32,
    last: u32,
    seen: AtomicU32,
}

impl Counter {
    fn next(&self) -> Option<u32> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        (id <= self.last).then_some(id)
    }

    fn recv(&self) -> Option<u32> {
        self.next()
    }

    fn see(&self, id: u32) {
        self.seen.fetch_add(id, Ordering::Relaxed);
    }

    #[fail_fast(workers = 4)]
    fn run(&mut self) -> Result<(), String> {
        while let Some(id) = self.next() {
            self.see(id);
        }
        Ok(())
    }

    #[fail_fast(workers = 4)]
    async fn run_async(&mut self) -> Result<(), String> {
        while let Some(id) = self.recv() {
            std::future::ready(()).await;
            self.see(id);
        }
        Ok(())
    }
}

#[fail_fast(workers = 4)]
fn count(counter: &mut Counter) -> Result<(), String> {
    while let Some(id) = counter.next() {
        counter.see(id);
    }
    Ok(())
}

struct Pool {
    jobs: Mutex<Vec<u32>>,
    finished: AtomicU32,
}

impl Pool {
    fn pop_job(&self) -> Option<u32> {
        self.jobs.lock().unwrap().pop()
    }

    fn done(&self, _job: u32) {
        self.finished.fetch_add(1, Ordering::Relaxed);
    }
}

#[fail_fast(workers = 4)]
fn drain(pool: &mut Pool) -> Result<(), String> {
    while let Some(job) = pool.pop_job() {
        pool.done(job);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn local(jobs: Vec<u32>) -> Result<u32, String> {
    let mut pool = Pool {
        jobs: Mutex::new(jobs),
        finished: AtomicU32::new(0),
    };
    while let Some(job) = pool.pop_job() {
        pool.done(job);
    }
    Ok(*pool.finished.get_mut())
}

fn main() {
    let mut work = Work {
        next: AtomicU32::new(0),
        last: 9,
        done: false,
    };
    assert!(work.run().is_ok() && work.done);
    let mut pool = Pool {
        jobs: Mutex::new(vec![1, 2, 3]),
        finished: AtomicU32::new(0),
    };
    assert!(drain(&mut pool).is_ok());
    assert_eq!(pool.finished.load(Ordering::Relaxed), 3);
    assert_eq!(local(vec![1, 2]), Ok(2));
    let mut counter = Counter {
        next: AtomicU32::new(0),
        last: 4,
        seen: AtomicU32::new(0),
    };
    assert!(counter.run().is_ok());
    counter.next.store(0, Ordering::Relaxed);
    assert!(futures::executor::block_on(counter.run_async()).is_ok());
    counter.next.store(0, Ordering::Relaxed);
    assert!(count(&mut counter).is_ok());
    assert_eq!(counter.seen.load(Ordering::Relaxed), 30);
}
