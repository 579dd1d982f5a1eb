// A `&mut self` method whose `while let` head pops a field that takes `&self` (a concurrent
// queue, a crossbeam or std channel's receiver), and whose body uses `self` whole: the head
// and the iterations share `self`, which compiles sequentially and so must in parallel.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

struct Queue(Mutex<Vec<u32>>);

impl Queue {
    fn pop(&self) -> Option<u32> {
        self.0.lock().unwrap().pop()
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

struct Jobs {
    queue: Queue,
    done: AtomicU32,
    runs: u32,
}

impl Jobs {
    fn handle(&self, job: u32) {
        self.done.fetch_add(job, Ordering::Relaxed);
    }

    #[fail_fast(workers = 4)]
    fn drain(&mut self) -> Result<(), String> {
        self.runs += 1;
        while let Some(job) = self.queue.pop() {
            self.handle(job);
            if self.queue.len() > 1_000 {
                return Err("too many jobs".into());
            }
        }
        Ok(())
    }
}

fn main() {
    let mut jobs = Jobs {
        queue: Queue(Mutex::new((1..=10).collect())),
        done: AtomicU32::new(0),
        runs: 0,
    };
    assert_eq!(jobs.drain(), Ok(()));
    assert_eq!((jobs.done.into_inner(), jobs.runs), (55, 1));
}
