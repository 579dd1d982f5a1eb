//! Worker threads that outlive one loop and are reused by the next.
//!
//! Starting a thread costs tens of microseconds; a loop over a handful of items would spend
//! more time spawning than working. Threads are therefore parked in a global idle list when
//! their loop ends, handed the next loop's work, and exit after [`IDLE_TIMEOUT`] unused.
//!
//! The work a loop hands out borrows the loop's stack frame, so [`scope`] works like
//! `std::thread::scope`: it does not return, nor unwind, before every job it handed out has
//! finished with that borrow.

#[cfg(not(loom))]
use crate::sync::AtomicBool;
use crate::sync::{lock, spin_until, wait, Arc, AtomicUsize, Condvar, Mutex, Ordering};
use std::marker::PhantomData;
#[cfg(not(loom))]
use std::time::Duration;

/// How long an idle worker thread waits for another loop before it exits.
#[cfg(not(loom))]
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// At most this many idle threads are kept for reuse; beyond it, a thread exits when its
/// loop ends.
#[cfg_attr(loom, allow(dead_code))] // under loom, only the model of the idle list uses it
const MAX_IDLE: usize = 128;

/// Work a scope hands to worker threads: each worker calls `work` once.
pub(crate) trait Work: Sync {
    /// Runs one worker's share of the loop. Must not unwind: a panic is recorded by the
    /// implementation itself (an unwinding job still releases its scope, but costs a thread).
    fn work(&self);
}

/// A `&W` for some `W: Work`, with the type and the lifetime erased so that a thread that
/// outlives the borrow can run it.
struct Job {
    work: *const (),
    run: unsafe fn(*const ()),
    done: CountDown,
}

// SAFETY: `work` points to a `W: Work`, and `Work: Sync`, so sharing it with another thread is
// allowed; `scope` keeps it alive until `done` has counted down (see `Scope::spawn`).
unsafe impl Send for Job {}

impl Job {
    /// Runs the job and returns the handle that releases its scope: the caller drops it as
    /// the very last thing it does for this job.
    fn run(self) -> CountDown {
        let Job { work, run, done } = self;
        // SAFETY: `run` is `run_erased::<W>` for the `W` that `work` points to, and the scope
        // that borrowed it is waiting on `done`, which is only dropped after this returns or
        // unwinds.
        unsafe { run(work) };
        done
    }
}

/// # Safety
/// `work` must come from a `&W` that is still alive.
unsafe fn run_erased<W: Work>(work: *const ()) {
    // SAFETY: guaranteed by the caller.
    let work = unsafe { &*work.cast::<W>() };
    work.work();
}

/// Counts down its scope's latch when dropped, also while unwinding.
struct CountDown(Arc<Latch>);

impl Drop for CountDown {
    fn drop(&mut self) {
        let latch = &self.0;
        if latch.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            // Under the lock: a scope that saw jobs pending under it is already waiting.
            let _parked = lock(&latch.parked);
            latch.all_done.notify_all();
        }
    }
}

/// Counts the jobs of one scope that have not finished.
///
/// It lives in an `Arc`, not in the scope's frame: a worker still touches it after it has
/// released the frame's borrow, and the frame may be gone by then.
struct Latch {
    pending: AtomicUsize,
    /// Held while the scope checks `pending` and parks.
    parked: Mutex<()>,
    all_done: Condvar,
}

impl Latch {
    fn wait(&self) {
        if spin_until(|| self.pending.load(Ordering::Acquire) == 0) {
            return;
        }
        let mut parked = lock(&self.parked);
        while self.pending.load(Ordering::Acquire) > 0 {
            parked = wait(&self.all_done, parked);
        }
    }
}

/// Where an idle thread waits for its next job.
#[cfg(not(loom))]
struct Mailbox {
    slot: Mutex<Slot>,
    delivered: Condvar,
    /// Set with the job, so that the thread can spin for it without the lock.
    has_job: AtomicBool,
}

#[cfg(not(loom))]
struct Slot {
    job: Option<Job>,
    /// The thread sleeps on `delivered` and must be woken.
    parked: bool,
}

/// The threads waiting for work. A thread that times out races a loop that claims it; the
/// list decides: whoever takes the thread off it first wins.
#[cfg_attr(loom, allow(dead_code))] // under loom, only the model of the idle list uses it
pub(crate) struct IdleList<M> {
    threads: Mutex<Vec<Arc<M>>>,
}

#[cfg_attr(loom, allow(dead_code))]
impl<M> IdleList<M> {
    #[cfg(not(loom))]
    const fn new() -> Self {
        IdleList {
            threads: Mutex::new(Vec::new()),
        }
    }

    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        IdleList {
            threads: Mutex::new(Vec::new()),
        }
    }

    /// Puts a thread that finished its job on the list, unless [`MAX_IDLE`] already wait.
    pub(crate) fn park(&self, thread: &Arc<M>) -> bool {
        let mut threads = lock(&self.threads);
        let keep = threads.len() < MAX_IDLE;
        if keep {
            threads.push(Arc::clone(thread));
        }
        keep
    }

    /// Takes an idle thread for a new job: it must then be handed one.
    pub(crate) fn claim(&self) -> Option<Arc<M>> {
        lock(&self.threads).pop()
    }

    /// Takes a thread whose wait timed out off the list; `false` if a loop claimed it first,
    /// in which case a job is on its way and the thread must wait for it.
    pub(crate) fn retire(&self, thread: &Arc<M>) -> bool {
        let mut threads = lock(&self.threads);
        match threads.iter().position(|t| Arc::ptr_eq(t, thread)) {
            Some(at) => {
                threads.swap_remove(at);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        lock(&self.threads).len()
    }
}

#[cfg(not(loom))]
static IDLE: IdleList<Mailbox> = IdleList::new();

/// Hands `job` to a new thread: loom models every thread, so none outlives a model run.
#[cfg(loom)]
fn start(job: Job) {
    loom::thread::spawn(move || drop(job.run()));
}

/// Hands `job` to an idle thread, or to a new one.
#[cfg(not(loom))]
fn start(job: Job) {
    let idle = IDLE.claim();
    match idle {
        Some(mailbox) => {
            let mut slot = lock(&mailbox.slot);
            slot.job = Some(job);
            mailbox.has_job.store(true, Ordering::Release);
            if slot.parked {
                mailbox.delivered.notify_one();
            }
        }
        None => {
            let mailbox = Arc::new(Mailbox {
                slot: Mutex::new(Slot {
                    job: None,
                    parked: false,
                }),
                delivered: Condvar::new(),
                has_job: AtomicBool::new(false),
            });
            // If spawning fails, the closure (and with it the job's `CountDown`) is dropped,
            // so the scope stays balanced before the panic leaves `start`.
            std::thread::Builder::new()
                .name("failfast-worker".into())
                .spawn(move || serve(&mailbox, job))
                .expect("failfast: could not start a worker thread");
        }
    }
}

/// A worker thread's life: run jobs until none comes for [`IDLE_TIMEOUT`].
#[cfg(not(loom))]
fn serve(mailbox: &Arc<Mailbox>, first: Job) {
    let mut next = Some(first);
    while let Some(job) = next {
        let done = job.run();
        // Back on the idle list before the scope is released, so that a loop started right
        // after this one finds the thread instead of spawning another.
        let keep = IDLE.park(mailbox);
        drop(done);
        if !keep {
            return;
        }
        next = next_job(mailbox);
    }
}

/// Waits for a job; `None` once the thread has been idle for [`IDLE_TIMEOUT`] and has taken
/// itself off the idle list.
#[cfg(not(loom))]
fn next_job(mailbox: &Arc<Mailbox>) -> Option<Job> {
    // Loops often follow each other closely: the next one's job usually comes while spinning.
    spin_until(|| mailbox.has_job.load(Ordering::Acquire));
    let mut slot = lock(&mailbox.slot);
    loop {
        if let Some(job) = slot.job.take() {
            mailbox.has_job.store(false, Ordering::Relaxed);
            return Some(job);
        }
        slot.parked = true;
        let (guard, timeout) = mailbox
            .delivered
            .wait_timeout(slot, IDLE_TIMEOUT)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        slot = guard;
        slot.parked = false;
        if timeout.timed_out() && slot.job.is_none() {
            drop(slot);
            if IDLE.retire(mailbox) {
                return None;
            }
            // A loop claimed this thread and is about to deliver a job.
            slot = lock(&mailbox.slot);
        }
    }
}

/// Runs borrowed work on pool threads; see [`scope`].
pub(crate) struct Scope<'scope, 'env: 'scope> {
    latch: Arc<Latch>,
    // Invariant in both lifetimes, as `std::thread::Scope` is.
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// Calls `f` with a [`Scope`] whose jobs may borrow anything that outlives the call, and
/// returns only when all of them have finished, also when `f` panics.
pub(crate) fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    struct WaitForAll<'a>(&'a Latch);
    impl Drop for WaitForAll<'_> {
        fn drop(&mut self) {
            self.0.wait();
        }
    }

    let scope = Scope {
        latch: Arc::new(Latch {
            pending: AtomicUsize::new(0),
            parked: Mutex::new(()),
            all_done: Condvar::new(),
        }),
        scope: PhantomData,
        env: PhantomData,
    };
    let _wait = WaitForAll(&scope.latch);
    f(&scope)
}

impl<'scope> Scope<'scope, '_> {
    /// Runs `work.work()` on a pool thread.
    pub(crate) fn spawn<W: Work + 'scope>(&'scope self, work: &'scope W) {
        self.latch.pending.fetch_add(1, Ordering::Relaxed);
        start(Job {
            work: (work as *const W).cast(),
            run: run_erased::<W>,
            done: CountDown(Arc::clone(&self.latch)),
        });
    }
}

/// How many pool threads are idle right now (for tests of the reuse policy).
#[doc(hidden)]
#[cfg(not(loom))]
pub fn idle_threads() -> usize {
    IDLE.len()
}
