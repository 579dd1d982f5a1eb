//! Borrowed work on pool threads, like `std::thread::scope`: [`scope`] does not return, nor
//! unwind, before every job it handed out has finished with its borrow.

use super::cache::{self, Started};
use super::place::Origin;
use crate::sync::{Arc, AtomicUsize, Ordering};
use crate::wake::Signal;
use std::marker::PhantomData;

/// Work a scope hands to pool threads: each thread it is given to calls `work` once.
pub(crate) trait Work: Sync {
    /// Runs one thread's share. Must not unwind: a panic is recorded by the implementation
    /// itself (an unwinding job still releases its scope, but costs a thread).
    fn work(&self);
}

/// A `&W` for some `W: Work`, with the type and the lifetime erased so that a thread that
/// outlives the borrow can run it.
pub(crate) struct Job {
    work: *const (),
    run: unsafe fn(*const ()),
    done: CountDown,
    /// The core of the thread that started the job, to be left (see `place.rs`).
    origin: Option<Origin>,
    /// How long the thread waits before it begins the job (see `fault::delay_thread_start`).
    #[cfg(feature = "fault-injection")]
    late: Option<std::time::Duration>,
}

// SAFETY: `work` points to a `W: Work`, and `Work: Sync`, so sharing it with another thread is
// allowed; the scope keeps it alive until `done` has counted down (see `Spawner::spawn`).
unsafe impl Send for Job {}

impl Job {
    /// The job, begun `late` (see `fault::delay_thread_start`).
    #[cfg(feature = "fault-injection")]
    pub(crate) fn late(self, late: Option<std::time::Duration>) -> Job {
        Job { late, ..self }
    }

    /// Runs the job and returns the handle that releases its scope: the thread drops it as
    /// the very last thing it does for this job. A thread that was `placed` on its core just
    /// now first leaves its starter's core, if it is on it (see `place.rs`).
    pub(crate) fn run(self, placed: Placed) -> CountDown {
        let Job {
            work,
            run,
            done,
            origin,
            #[cfg(feature = "fault-injection")]
            late,
        } = self;
        #[cfg(feature = "fault-injection")]
        if let Some(late) = late {
            std::thread::sleep(late);
        }
        if let (Some(origin), Placed::Just) = (origin, placed) {
            origin.leave();
        }
        // SAFETY: `run` is `run_erased::<W>` for the `W` that `work` points to, and the scope
        // that borrowed it is waiting on `done`, which is only dropped after this returns or
        // unwinds.
        unsafe { run(work) };
        done
    }
}

/// Whether the system has just placed the thread that runs a job on its core.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Placed {
    /// The thread is new, or was asleep until the job came: the system chose its core as it
    /// woke it.
    Just,
    /// The thread was spinning for the job on a core it has held since its last one.
    Before,
}

/// # Safety
/// `work` must come from a `&W` that is still alive.
unsafe fn run_erased<W: Work>(work: *const ()) {
    // SAFETY: guaranteed by the caller.
    let work = unsafe { &*work.cast::<W>() };
    work.work();
}

/// Counts down its scope's latch when dropped, also while unwinding.
pub(crate) struct CountDown(Arc<Latch>);

impl Drop for CountDown {
    fn drop(&mut self) {
        if self.0.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.all_done.notify();
        }
    }
}

/// Counts the jobs of one scope that have not finished.
///
/// It lives in an `Arc`, not in the scope's frame: a thread still touches it after it has
/// released the frame's borrow, and the frame may be gone by then.
struct Latch {
    pending: AtomicUsize,
    all_done: Signal,
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
            let latch = self.0;
            latch
                .all_done
                .wait_for(|| (latch.pending.load(Ordering::Acquire) == 0).then_some(()));
        }
    }

    let scope = Scope {
        latch: Arc::new(Latch {
            pending: AtomicUsize::new(0),
            all_done: Signal::new(),
        }),
        scope: PhantomData,
        env: PhantomData,
    };
    let _wait = WaitForAll(&scope.latch);
    f(&scope)
}

/// Runs borrowed work on pool threads; see [`scope`].
pub(crate) struct Scope<'scope, 'env: 'scope> {
    latch: Arc<Latch>,
    // Invariant in both lifetimes, as `std::thread::Scope` is.
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

impl<'scope> Scope<'scope, '_> {
    /// A handle that starts pool threads running `work.work()`, each counted by this scope.
    pub(crate) fn spawner<W: Work + 'scope>(&'scope self, work: &'scope W) -> Spawner {
        Spawner {
            work: (work as *const W).cast(),
            run: run_erased::<W>,
            latch: Arc::clone(&self.latch),
        }
    }
}

/// Starts pool threads for one [`Scope`]'s work; see [`Scope::spawner`].
pub(crate) struct Spawner {
    work: *const (),
    run: unsafe fn(*const ()),
    latch: Arc<Latch>,
}

// SAFETY: as for `Job`: the work is `Sync`, and `spawn`'s contract keeps it alive.
unsafe impl Send for Spawner {}
// SAFETY: `spawn` takes `&self` and only reads the fields; see `Send` above.
unsafe impl Sync for Spawner {}

impl Spawner {
    /// Starts one more pool thread running the scope's work, and says how (see [`Started`]);
    /// `None` if the OS refused it, which leaves the scope's count as it was. With `origin`,
    /// the thread begins by leaving that core if it is on it (see `place.rs`).
    ///
    /// # Safety
    ///
    /// The scope must not have finished waiting: call it from inside the scope's closure, or
    /// from one of its jobs. (Inside the closure, the scope has not begun waiting: it waits
    /// once the closure has returned or unwound, and then reads the count taken here. A job
    /// that runs has not yet given back its own count, so `pending` is above zero and the
    /// wait cannot have ended. Either way the count taken here keeps the scope waiting for
    /// the new job too.)
    pub(crate) unsafe fn spawn(&self, origin: Option<Origin>) -> Option<Started> {
        self.latch.pending.fetch_add(1, Ordering::Relaxed);
        // A refused job was dropped unrun: its `CountDown` took the count back. If that was
        // the scope's last count, the scope had not begun waiting (this function's contract),
        // and its wait will find 0.
        cache::start(Job {
            work: self.work,
            run: self.run,
            done: CountDown(Arc::clone(&self.latch)),
            origin,
            #[cfg(feature = "fault-injection")]
            late: None,
        })
        .ok()
    }
}
