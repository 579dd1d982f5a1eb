//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Generous bound for "this must not hang": catches a deadlock or a loop that waited for
/// its whole input, never measures speed.
pub const HANG: Duration = Duration::from_secs(30);

/// A gate iterations block on until the test opens it.
#[derive(Default)]
pub struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    pub fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.changed.notify_all();
    }

    pub fn wait(&self) {
        let mut open = self.open.lock().unwrap();
        let deadline = Instant::now() + HANG;
        while !*open {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "gate never opened: the test is hung");
            open = self.changed.wait_timeout(open, left).unwrap().0;
        }
    }
}

/// Waits until `condition` holds, failing the test after [`HANG`].
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + HANG;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Counts how many values are alive and how many were dropped in all.
#[derive(Default)]
pub struct DropLog {
    pub created: AtomicUsize,
    pub dropped: AtomicUsize,
}

impl DropLog {
    pub fn track(self: &Arc<Self>, value: usize) -> Tracked {
        self.created.fetch_add(1, Ordering::SeqCst);
        Tracked {
            value,
            log: Arc::clone(self),
        }
    }

    pub fn created(&self) -> usize {
        self.created.load(Ordering::SeqCst)
    }

    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// A value whose drop is counted by its [`DropLog`]; panics if dropped twice.
pub struct Tracked {
    pub value: usize,
    log: Arc<DropLog>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let dropped = self.log.dropped.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(dropped <= self.log.created(), "a value was dropped twice");
    }
}

/// Counts the iterations running now and the most that ever ran at once.
#[derive(Default)]
pub struct Concurrency {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Concurrency {
    pub fn enter(&self) -> Running<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        Running(self)
    }

    pub fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    pub fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

pub struct Running<'a>(&'a Concurrency);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An input that counts the items pulled from it.
pub fn counted<'a, I: Iterator + 'a>(
    inner: I,
    pulled: &'a AtomicUsize,
) -> impl Iterator<Item = I::Item> + 'a {
    inner.inspect(move |_| {
        pulled.fetch_add(1, Ordering::SeqCst);
    })
}

/// Whether the tests run under Miri, or under a sanitizer (CI sets `FAILFAST_SANITIZED`),
/// which slows every access down: long loops and deep chains are cut to a size that still
/// meets every case, and the assertions stay the same.
#[allow(dead_code)]
pub fn slowed() -> bool {
    cfg!(miri) || std::env::var_os("FAILFAST_SANITIZED").is_some()
}

/// `n` natively; a hundredth of it (at least 2) under Miri, which interprets every
/// instruction. The assertions are the same either way.
pub fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 100).max(2)
    } else {
        n
    }
}

/// An input item that counts its drops in `drops[index]`.
pub struct Item<'a> {
    pub index: usize,
    pub drops: &'a [AtomicUsize],
}

impl Drop for Item<'_> {
    fn drop(&mut self) {
        self.drops[self.index].fetch_add(1, Ordering::SeqCst);
    }
}

/// The engine's three paths, which the `#[fail_fast]` rewrite picks by the input's type; the
/// stress and fault tests draw one at random for each loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// Any input: the caller pulls it, `workers` pool threads run the iterations.
    Caller,
    /// A `Send` input, pulled by the caller and `workers - 1` pool threads in turns.
    Shared,
    /// An owned `Vec`, split by index (the input is collected into it first).
    Indexed,
}

impl Path {
    pub const ALL: [Path; 3] = [Path::Caller, Path::Shared, Path::Indexed];

    pub fn random(rng: &mut impl rand::Rng) -> Path {
        Path::ALL[rng.gen_range(0..3)]
    }

    /// The loop over `input` on this path.
    pub fn try_for_each<I, F, E>(self, input: I, workers: usize, f: F) -> Result<(), E>
    where
        I: Iterator + Send,
        I::Item: Send,
        F: Fn(I::Item) -> Result<(), E> + Sync,
        E: Send,
    {
        use failfast_runtime::rewrite::{LoopSite, Shared, Split};
        static SHARED: LoopSite = LoopSite::new();
        static INDEXED: LoopSite = LoopSite::new();
        match self {
            Path::Caller => failfast_runtime::try_for_each(input, workers, f),
            Path::Shared => Shared.thread_loop(input, workers, &SHARED, f),
            Path::Indexed => Split.thread_loop(input.collect::<Vec<_>>(), workers, &INDEXED, f),
        }
    }

    /// The loop over `input` on this path, with `settings` (a stop token, a timeout): a stop
    /// is converted with `From`, as `#[fail_fast]` and `Loop::try_for_each` do.
    pub fn try_for_each_with<I, F, E>(
        self,
        input: I,
        settings: failfast_runtime::Loop<'_, failfast_runtime::Stoppable>,
        f: F,
    ) -> Result<(), E>
    where
        I: Iterator + Send,
        I::Item: Send,
        F: Fn(I::Item) -> Result<(), E> + Sync,
        E: Send + From<failfast_runtime::Stopped>,
    {
        use failfast_runtime::rewrite::{LoopSite, Shared, Split};
        static SHARED: LoopSite = LoopSite::new();
        static INDEXED: LoopSite = LoopSite::new();
        let stopped = match self {
            Path::Caller => return settings.try_for_each(input, f),
            Path::Shared => Shared.thread_loop_with(input, settings, &SHARED, f),
            Path::Indexed => {
                Split.thread_loop_with(input.collect::<Vec<_>>(), settings, &INDEXED, f)
            }
        };
        stopped.unwrap_or_else(|stopped| Err(stopped.into()))
    }
}

/// Sleeps in short steps until the loop running this iteration is cancelled, failing the test
/// after [`HANG`]: an iteration that only a stop (or a failure) ends.
pub fn until_cancelled() {
    let deadline = Instant::now() + HANG;
    while !failfast_runtime::cancelled() {
        assert!(Instant::now() < deadline, "the loop was never cancelled");
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// The seed of a randomized test: `$var` if set (to replay a run), else the clock's. Printed,
/// so that a failing run can be replayed.
pub fn seed(var: &str) -> u64 {
    let seed = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("seed: {seed} (replay with {var}={seed})");
    seed
}

/// Runs `work` on another thread, which reports its progress through the sender it is
/// given; fails the test, naming the last progress, if none comes for a minute (a deadlock).
pub fn watched<P: std::fmt::Debug + Default + Send + 'static>(
    work: impl FnOnce(std::sync::mpsc::Sender<P>) + Send + 'static,
) {
    use std::sync::mpsc;
    let (progress, watch) = mpsc::channel();
    let worker = std::thread::spawn(move || work(progress));
    let mut last = P::default();
    loop {
        match watch.recv_timeout(Duration::from_secs(60)) {
            Ok(step) => last = step,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("deadlock: no progress in 60 s after {last:?}")
            }
        }
    }
    if let Err(failure) = worker.join() {
        std::panic::resume_unwind(failure);
    }
}

/// Polls `future` up to `polls` times with a waker that does nothing, for futures whose
/// iterations are ready or wake themselves at once (or never): its output if it finished.
pub fn poll_to_end<F: std::future::Future>(future: F, polls: usize) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    for _ in 0..polls {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return Some(output);
        }
    }
    None
}

/// Keeps the panics a test injects quiet: those whose `String` payload starts with one of
/// `injected`; any other panic is reported as usual. Installed once per test binary.
pub fn quiet_panics(injected: &'static [&'static str]) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let quiet = info
                .payload()
                .downcast_ref::<String>()
                .is_some_and(|message| injected.iter().any(|start| message.starts_with(start)));
            if !quiet {
                previous(info);
            }
        }));
    });
}
