//! The thread cache: threads whose job ended wait in a global idle list for the next one, and
//! exit after [`IDLE_TIMEOUT`] unused.

use super::scope::{Job, Placed};
use crate::sync::{lock, Arc, Mutex};
use crate::wake::Signal;
use std::time::Duration;

/// How long an idle worker thread waits for another job before it exits.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// At most this many idle threads are kept for reuse; beyond it, a thread exits when its
/// job ends.
pub(crate) const MAX_IDLE: usize = 128;

/// Where an idle thread waits for its next job.
pub(crate) struct Mailbox {
    job: Mutex<Option<Job>>,
    delivered: Signal,
}

/// The threads waiting for work. A thread that times out races a loop that claims it; the
/// list decides: whoever takes the thread off it first wins.
pub(crate) struct Cache {
    idle: Mutex<Vec<Arc<Mailbox>>>,
    /// Under loom, the threads alive and a signal when one exits: a model must not end while
    /// a thread still touches the cache, which loom drops with the model.
    #[cfg(loom)]
    live: (crate::sync::AtomicUsize, Signal),
}

#[cfg(not(loom))]
static CACHE: Cache = Cache {
    idle: Mutex::new(Vec::new()),
};

// loom's objects must be created inside each model run, which `lazy_static!` does.
#[cfg(loom)]
loom::lazy_static! {
    static ref CACHE: Cache = Cache {
        idle: Mutex::new(Vec::new()),
        live: (crate::sync::AtomicUsize::new(0), Signal::new()),
    };
}

/// The OS refused to start a thread (a memory, pids or thread limit): the job was dropped
/// unrun, which released its scope's count.
#[derive(Debug)]
pub(crate) struct Refused;

/// How a thread was given its job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Started {
    /// An idle thread that was still spinning for its next job: it runs it at once, on the
    /// core it spins on.
    Running,
    /// A new thread, or an idle one that was asleep: the system has just placed it on a core,
    /// maybe behind the thread that started it (see `place.rs`).
    Woken,
}

/// Hands `job` to an idle thread, or to a new one; [`Refused`] if no thread could take it.
pub(crate) fn start(job: Job) -> Result<Started, Refused> {
    CACHE.start(job)
}

impl Cache {
    fn start(&'static self, job: Job) -> Result<Started, Refused> {
        #[cfg(feature = "fault-injection")]
        let job = {
            let start = crate::fault::this_start();
            if start.refused {
                // As a refused spawn does: the closure holding the job is dropped unrun.
                drop(job);
                return Err(Refused);
            }
            job.late(start.late)
        };
        if let Some(mailbox) = self.claim() {
            *lock(&mailbox.job) = Some(job);
            return Ok(if mailbox.delivered.notify() {
                Started::Woken
            } else {
                Started::Running
            });
        }
        let mailbox = Arc::new(Mailbox {
            job: Mutex::new(None),
            delivered: Signal::new(),
        });
        // If spawning fails, the closure (and with it the job's `CountDown`) is dropped, so
        // the scope stays balanced.
        #[cfg(loom)]
        self.live.0.fetch_add(1, crate::sync::Ordering::AcqRel);
        let spawned = spawn_thread(move || {
            self.serve(&mailbox, job);
            #[cfg(loom)]
            {
                self.live.0.fetch_sub(1, crate::sync::Ordering::AcqRel);
                self.live.1.notify();
            }
        });
        if spawned.is_err() {
            #[cfg(loom)]
            {
                self.live.0.fetch_sub(1, crate::sync::Ordering::AcqRel);
                self.live.1.notify();
            }
            return Err(Refused);
        }
        Ok(Started::Woken)
    }

    /// A worker thread's life: run jobs until none comes for [`IDLE_TIMEOUT`].
    fn serve(&self, mailbox: &Arc<Mailbox>, first: Job) {
        // A new thread, like one that slept for its job, was placed on a core by the system
        // just now, and may have to leave it (see `place.rs`).
        let mut next = Some((first, Placed::Just));
        while let Some((job, placed)) = next {
            let done = job.run(placed);
            // Back on the idle list before the scope is released, so that a loop started
            // right after this one finds the thread instead of spawning another.
            let keep = self.park(mailbox);
            drop(done);
            if !keep {
                return;
            }
            next = self.next_job(mailbox);
        }
    }

    /// Waits for a job; `None` once the thread has been idle for [`IDLE_TIMEOUT`] and has
    /// taken itself off the idle list.
    fn next_job(&self, mailbox: &Mailbox) -> Option<(Job, Placed)> {
        let take = || lock(&mailbox.job).take();
        if let (Some(job), slept) = wait_for_timeout(&mailbox.delivered, IDLE_TIMEOUT, take) {
            return Some((job, if slept { Placed::Just } else { Placed::Before }));
        }
        if self.retire(mailbox) {
            return None;
        }
        // A loop claimed this thread before it could leave the list: its job is on its way.
        Some((mailbox.delivered.wait_for(take), Placed::Just))
    }

    /// Puts a thread that finished its job on the list, unless [`MAX_IDLE`] already wait.
    fn park(&self, mailbox: &Arc<Mailbox>) -> bool {
        let mut idle = lock(&self.idle);
        let keep = idle.len() < MAX_IDLE;
        if keep {
            idle.push(Arc::clone(mailbox));
        }
        keep
    }

    /// Takes an idle thread for a new job: it must then be handed one.
    fn claim(&self) -> Option<Arc<Mailbox>> {
        lock(&self.idle).pop()
    }

    /// Takes a thread whose wait timed out off the list; `false` if a loop claimed it first.
    fn retire(&self, mailbox: &Mailbox) -> bool {
        let mut idle = lock(&self.idle);
        match idle.iter().position(|m| std::ptr::eq(&**m, mailbox)) {
            Some(at) => {
                idle.swap_remove(at);
                true
            }
            None => false,
        }
    }
}

/// Starts a thread running `f`; on failure `f` is dropped unrun (`std` drops the closure it
/// could not hand to a thread). Refused, as the OS would refuse it, where an address-space
/// limit leaves no room for it (see `room.rs`).
#[cfg(not(loom))]
fn spawn_thread(f: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    fn spawn(f: impl FnOnce() + Send + 'static, stack: usize) -> std::io::Result<()> {
        std::thread::Builder::new()
            .name("failfast-worker".into())
            .stack_size(stack)
            .spawn(f)
            .map(drop)
    }
    let stack = super::stack_size();
    let Some(limit) = super::room::limit() else {
        return spawn(f, stack);
    };
    // One start at a time under the limit, each checked against what the threads started
    // before it have reserved, their arenas included (see `room.rs`).
    static STARTING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = lock(&STARTING);
    if !super::room::fits(limit, stack) {
        return Err(std::io::ErrorKind::OutOfMemory.into());
    }
    let (arena, reserved) = std::sync::mpsc::sync_channel(1);
    spawn(
        move || {
            // The thread's first allocation, kept from being optimised away, picks its arena.
            drop(std::hint::black_box(Box::new(0_u64)));
            let _ = arena.send(());
            f();
        },
        stack,
    )?;
    // Nothing comes only if the thread ended first (its allocation failed).
    let _ = reserved.recv();
    Ok(())
}

#[cfg(loom)]
#[allow(clippy::unnecessary_wraps)]
fn spawn_thread(f: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    loom::thread::spawn(f);
    Ok(())
}

/// Waits for `poll`, for at most `timeout`; also says whether the thread fell asleep.
#[cfg(not(loom))]
fn wait_for_timeout<R>(
    signal: &Signal,
    timeout: Duration,
    poll: impl FnMut() -> Option<R>,
) -> (Option<R>, bool) {
    signal.wait_for_timeout_noting_sleep(timeout, poll)
}

/// Under loom, time does not pass: the wait polls once, then times out at once, so that every
/// model explores a thread retiring while a loop claims it.
#[cfg(loom)]
fn wait_for_timeout<R>(
    _signal: &Signal,
    _timeout: Duration,
    mut poll: impl FnMut() -> Option<R>,
) -> (Option<R>, bool) {
    (poll(), false)
}

/// Under loom: waits until every pool thread has exited (they do so at once when idle).
#[cfg(all(loom, test))]
pub(crate) fn wait_for_exits() {
    let cache: &Cache = &CACHE;
    cache
        .live
        .1
        .wait_for(|| (cache.live.0.load(crate::sync::Ordering::Acquire) == 0).then_some(()));
}

/// How many pool threads are idle right now (for tests of the reuse policy).
#[doc(hidden)]
#[cfg(not(loom))]
pub fn idle_threads() -> usize {
    lock(&CACHE.idle).len()
}
