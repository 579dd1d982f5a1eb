use failfast::fail_fast;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

struct Worklist {
    queue: VecDeque<u32>,
    limit: u32,
}

impl Worklist {
    // The head takes from `self.queue`; the body binds only `limit` out of `self`, which
    // rustc captures alone: no race, as in the sequential loop.
    #[fail_fast(workers = 2)]
    fn drain(&mut self) -> Result<(), String> {
        while let Some(job) = self.queue.pop_front() {
            // Nor does `let _ = ..` capture anything.
            let _ = self.queue;
            let &mut Worklist { limit, .. } = self;
            if job > limit {
                return Err(format!("{job} is over {limit}"));
            }
        }
        Ok(())
    }
}

/// A `pop` of the user's own that takes `&self`, on a field whose type has no `pop` of its
/// own.
trait SharedPop {
    fn pop(&self) -> Option<u32>;
}

impl SharedPop for Option<Mutex<VecDeque<u32>>> {
    fn pop(&self) -> Option<u32> {
        self.as_ref()?.lock().unwrap().pop_front()
    }
}

struct Shared {
    queue: Option<Mutex<VecDeque<u32>>>,
    done: AtomicU32,
    runs: u32,
}

impl Shared {
    fn handle(&self, job: u32) {
        self.done.fetch_add(job, Ordering::Relaxed);
    }

    #[fail_fast(workers = 2)]
    fn drain(&mut self) -> Result<(), String> {
        self.runs += 1;
        while let Some(job) = self.queue.pop() {
            self.handle(job);
        }
        Ok(())
    }
}

fn main() {
    let mut worklist = Worklist {
        queue: (1..=5).collect(),
        limit: 3,
    };
    assert!(worklist.drain().is_err());
    let mut shared = Shared {
        queue: Some(Mutex::new((1..=4).collect())),
        done: AtomicU32::new(0),
        runs: 0,
    };
    assert_eq!(shared.drain(), Ok(()));
    assert_eq!(shared.done.load(Ordering::Relaxed), 10);
    assert_eq!(shared.runs, 1);
}
