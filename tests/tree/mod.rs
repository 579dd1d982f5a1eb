//! In-memory trees and recursive walks over them, for the tests of "recursion shares one
//! limit": the same walk through each of the engine's paths.
#![allow(dead_code)]

use failfast::fail_fast;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Generous bound for "this must not hang"; never a measure of speed.
pub const HANG: Duration = Duration::from_secs(60);

/// The main thread's stack on Linux, where a program's sequential walk would run.
pub const MAIN_STACK: usize = 8 << 20;

/// Runs `f` on a thread with the main thread's stack, as a program's `main` would.
pub fn on_main_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(MAIN_STACK)
            .spawn_scoped(scope, f)
            .unwrap()
            .join()
            .unwrap()
    })
}

pub struct Node {
    pub id: usize,
    pub children: Vec<Node>,
}

impl Node {
    pub fn leaves(&self) -> usize {
        if self.children.is_empty() {
            1
        } else {
            self.children.iter().map(Node::leaves).sum()
        }
    }

    /// The leaves' ids in depth-first order.
    pub fn leaf_ids(&self, into: &mut Vec<usize>) {
        if self.children.is_empty() {
            into.push(self.id);
        }
        for child in &self.children {
            child.leaf_ids(into);
        }
    }
}

/// A tree of `depth` levels below the root, each inner node with `fanout` children; or, if
/// `seed` is given, with 0 to `fanout` children each (at least one at the root).
pub fn tree(depth: u32, fanout: usize, seed: Option<u64>) -> Node {
    let mut next = 0;
    let mut rng = seed.map(StdRng::seed_from_u64);
    build(depth, fanout, &mut rng, &mut next, true)
}

fn build(
    depth: u32,
    fanout: usize,
    rng: &mut Option<StdRng>,
    next: &mut usize,
    root: bool,
) -> Node {
    let id = *next;
    *next += 1;
    let children = if depth == 0 {
        0
    } else {
        match rng {
            Some(rng) => rng.gen_range(usize::from(root)..=fanout),
            None => fanout,
        }
    };
    Node {
        id,
        children: (0..children)
            .map(|_| build(depth - 1, fanout, rng, next, false))
            .collect(),
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Leaf {
    Sleep(Duration),
    Spin(Duration),
}

/// The walk's bookkeeping: iterations in flight (an iteration waiting for its inner run does
/// not count: it is working on that run's items), leaves visited, and where to fail.
pub struct Walk {
    pub leaf: Leaf,
    pub fail_at: Option<usize>,
    pub panic_at: Option<usize>,
    pub in_flight: AtomicUsize,
    pub most: AtomicUsize,
    pub visited: AtomicUsize,
    pub threads_most: AtomicUsize,
}

/// The payload of injected panics.
#[derive(Debug, PartialEq)]
pub struct Injected(pub usize);

impl Walk {
    pub fn new(leaf: Leaf) -> Walk {
        Walk {
            leaf,
            fail_at: None,
            panic_at: None,
            in_flight: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
            visited: AtomicUsize::new(0),
            threads_most: AtomicUsize::new(0),
        }
    }

    fn enter(&self) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    fn visit(&self, node: &Node) -> Result<(), usize> {
        self.visited.fetch_add(1, Ordering::SeqCst);
        self.threads_most
            .fetch_max(process_threads(), Ordering::SeqCst);
        match self.leaf {
            Leaf::Sleep(time) => std::thread::sleep(time),
            Leaf::Spin(time) => {
                let begin = Instant::now();
                while begin.elapsed() < time {
                    std::hint::spin_loop();
                }
            }
        }
        if Some(node.id) == self.panic_at {
            std::panic::panic_any(Injected(node.id));
        }
        if Some(node.id) == self.fail_at {
            return Err(node.id);
        }
        Ok(())
    }

    /// One child's iteration: a leaf is visited, an inner node walked with `recurse`.
    fn child(
        &self,
        child: &Node,
        recurse: impl FnOnce(&Node) -> Result<(), usize>,
    ) -> Result<(), usize> {
        // Counted by guards, so that a panicking leaf is counted out too.
        struct Running<'a>(&'a Walk);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0.leave();
            }
        }
        self.enter();
        let running = Running(self);
        if child.children.is_empty() {
            return self.visit(child);
        }
        drop(running);
        let result = recurse(child);
        self.enter();
        let _running = Running(self);
        result
    }
}

/// How the walk's loop is written, which decides the engine's path.
#[derive(Clone, Copy, Debug)]
pub enum Path {
    /// `#[fail_fast]` over `&node.children`: split by index.
    Indexed,
    /// `#[fail_fast]` over a lazy `Send` iterator: pulled by every worker.
    Shared,
    /// `failfast::try_for_each` from one place: pulled by the calling thread.
    Api,
}

pub fn walk(path: Path, node: &Node, walk_state: &Walk, workers: usize) -> Result<(), usize> {
    match path {
        Path::Indexed => walk_indexed(node, walk_state, workers),
        Path::Shared => walk_shared(node, walk_state, workers),
        Path::Api => walk_api(node, walk_state, workers),
    }
}

#[fail_fast(workers = workers)]
fn walk_indexed(node: &Node, state: &Walk, workers: usize) -> Result<(), usize> {
    for child in &node.children {
        state.child(child, |child| walk_indexed(child, state, workers))?;
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn walk_shared(node: &Node, state: &Walk, workers: usize) -> Result<(), usize> {
    for child in node.children.iter().filter(|_| true) {
        state.child(child, |child| walk_shared(child, state, workers))?;
    }
    Ok(())
}

fn walk_api(node: &Node, state: &Walk, workers: usize) -> Result<(), usize> {
    failfast::try_for_each(&node.children, workers, |child| {
        state.child(child, |child| walk_api(child, state, workers))
    })
}

/// The process's thread count, from `/proc` (0 where there is none).
pub fn process_threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs `f` on another thread and fails the test, naming `what`, if it does not end within
/// [`HANG`]; resumes its panic if it panicked.
pub fn watchdog<T: Send>(what: &str, f: impl FnOnce() -> T + Send) -> T {
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        let worker = s.spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = done.send(());
            result
        });
        if wait.recv_timeout(HANG).is_err() {
            // The scope would wait for the hung walk forever: end the whole test run.
            eprintln!("deadlock: {what} did not end within {HANG:?}");
            std::process::exit(101);
        }
        match worker.join().expect("the watchdog's thread") {
            Ok(value) => value,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    })
}
