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

// An actor whose body uses other fields than the receiver the head takes from, and one whose
// receiver's `recv` takes `&self` (std's): neither races.
struct Actor {
    inbox: tokio::sync::mpsc::Receiver<u32>,
    handled: AtomicU32,
}

impl Actor {
    #[fail_fast(workers = 4)]
    async fn run(&mut self) -> Result<(), String> {
        while let Some(message) = self.inbox.recv().await {
            std::future::ready(()).await;
            self.handled.fetch_add(message, Ordering::Relaxed);
        }
        Ok(())
    }
}

struct StdActor {
    inbox: std::sync::mpsc::Receiver<u32>,
    limit: u32,
}

impl StdActor {
    fn fits(&self, message: u32) -> bool {
        message <= self.limit
    }

    #[fail_fast(workers = 4)]
    async fn run(&mut self) -> Result<(), String> {
        while let Ok(message) = self.inbox.recv() {
            std::future::ready(()).await;
            if !self.fits(message) {
                return Err(format!("{message} is over the limit"));
            }
        }
        Ok(())
    }
}

fn main() {
    let (tx, inbox) = tokio::sync::mpsc::channel(4);
    for message in 1..=3 {
        tx.try_send(message).unwrap();
    }
    drop(tx);
    let mut actor = Actor {
        inbox,
        handled: AtomicU32::new(0),
    };
    assert_eq!(futures::executor::block_on(actor.run()), Ok(()));
    assert_eq!(actor.handled.load(Ordering::Relaxed), 6);
    let (tx, inbox) = std::sync::mpsc::channel();
    for message in [1, 2, 9] {
        tx.send(message).unwrap();
    }
    drop(tx);
    let mut std_actor = StdActor { inbox, limit: 5 };
    assert_eq!(
        futures::executor::block_on(std_actor.run()),
        Err("9 is over the limit".to_string())
    );
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
