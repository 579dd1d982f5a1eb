// `&mut self` methods whose `while let` head takes items through `&self` from a field (a
// concurrent queue's `pop`, a type of the user's own with `next(&self)`, `Stdin::read_line`)
// while the body uses `self` whole: the head and the iterations share `self`, which compiles
// sequentially and so must in parallel. The macro cannot see which receiver such a method
// takes, so it refuses none of these: when it takes `&mut self`, rustc's borrow checker does.
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

/// An id generator whose `next` takes `&self`.
struct Ids(AtomicU32);

impl Ids {
    fn next(&self) -> Option<u32> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        (n < 10).then_some(n + 1)
    }
}

struct Jobs {
    queue: Queue,
    ids: Ids,
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

    #[fail_fast(workers = 4)]
    fn number(&mut self) -> Result<(), String> {
        self.runs += 1;
        while let Some(id) = self.ids.next() {
            self.handle(id);
        }
        Ok(())
    }
}

struct Lines {
    stdin: std::io::Stdin,
    seen: AtomicU32,
    runs: u32,
}

impl Lines {
    fn saw(&self) {
        self.seen.fetch_add(1, Ordering::Relaxed);
    }

    #[fail_fast(workers = 2)]
    fn count(&mut self) -> Result<(), String> {
        self.runs += 1;
        let mut line = String::new();
        while let Ok(1..) = self.stdin.read_line(&mut line) {
            self.saw();
        }
        Ok(())
    }
}

fn main() {
    let mut jobs = Jobs {
        queue: Queue(Mutex::new((1..=10).collect())),
        ids: Ids(AtomicU32::new(0)),
        done: AtomicU32::new(0),
        runs: 0,
    };
    assert_eq!(jobs.drain(), Ok(()));
    assert_eq!(jobs.number(), Ok(()));
    assert_eq!((jobs.done.into_inner(), jobs.runs), (110, 2));
    // Built, not run: a ui test's standard input is not ours to read.
    let _ = Lines::count;
    let _ = Lines {
        stdin: std::io::stdin(),
        seen: AtomicU32::new(0),
        runs: 0,
    }
    .runs;
}
