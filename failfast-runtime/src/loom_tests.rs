//! Model checks of the cancellation protocol with loom: every interleaving of the engine's
//! synchronisation (within a preemption bound) is run and checked.
//!
//! `RUSTFLAGS="--cfg loom" cargo test -p failfast-runtime --release --lib`
use crate::pool::IdleList;
use crate::sync::{lock, wait, Arc, Condvar, Mutex};
use crate::{cancelled, try_for_each};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
// Bookkeeping of the tests themselves, outside the model: plain std atomics.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Runs `body` under loom with a preemption bound that keeps the runs to seconds, and prints
/// how many interleavings it explored.
fn explore(name: &str, body: impl Fn() + Sync + Send + 'static) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&runs);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder.check(move || {
        counted.fetch_add(1, SeqCst);
        body();
    });
    RUNS.fetch_add(runs.load(SeqCst), SeqCst);
    println!("loom: {name}: {} interleavings explored", runs.load(SeqCst));
}

/// An error that counts its drops.
struct Counted<'a>(usize, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, SeqCst);
    }
}

#[test]
fn two_workers_failing_at_once_return_exactly_one_error() {
    explore("two workers fail at once", || {
        let dropped = AtomicUsize::new(0);
        let result = try_for_each(0..2, 2, |i| Err(Counted(i, &dropped)));
        let error = result.expect_err("the loop fails");
        assert!(error.0 < 2);
        // The other error, if its iteration ran, was dropped; none is lost or kept twice.
        let others = dropped.load(SeqCst);
        assert!(others <= 1);
        drop(error);
        assert_eq!(dropped.load(SeqCst), others + 1);
    });
}

#[test]
fn a_failure_racing_the_next_pickup_starts_at_most_workers_minus_one() {
    explore("a failure races a worker taking the next item", || {
        let started_after = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let result = try_for_each(0..3, 2, |i| {
            ran.fetch_add(1, SeqCst);
            if cancelled() {
                started_after.fetch_add(1, SeqCst);
            }
            if i == 0 {
                return Err(i);
            }
            Ok(())
        });
        assert_eq!(result, Err(0));
        assert!(
            started_after.load(SeqCst) <= 1,
            "more than workers - 1 started after the failure"
        );
        assert!(ran.load(SeqCst) <= 3);
    });
}

#[test]
fn a_panic_racing_an_error_wins() {
    // The injected panic would otherwise be printed once per interleaving.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.payload().is::<usize>() {
            previous(info);
        }
    }));
    explore("a panic races an error", || {
        let panicked = AtomicUsize::new(0);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            try_for_each(0..2usize, 2, |i| {
                if i == 1 {
                    panicked.fetch_add(1, SeqCst);
                    panic_any(i);
                }
                Err(i)
            })
        }));
        match outcome {
            Err(payload) => {
                let text = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
                assert_eq!(
                    payload.downcast_ref::<usize>(),
                    Some(&1),
                    "another panic: {text:?}"
                );
            }
            Ok(result) => {
                assert_eq!(result, Err(0));
                assert_eq!(
                    panicked.load(SeqCst),
                    0,
                    "a panic happened, yet an error was returned"
                );
            }
        }
    });
}

#[test]
fn an_inner_loop_inherits_the_outer_cancellation() {
    explore("nested loops inherit cancellation", || {
        let late_inner = AtomicUsize::new(0);
        let result = try_for_each(0..2, 2, |outer| {
            if outer == 0 {
                return Err("outer 0");
            }
            let inner = try_for_each(0..2, 1, |_| {
                if cancelled() {
                    late_inner.fetch_add(1, SeqCst);
                }
                Ok::<(), &str>(())
            });
            assert_eq!(inner, Ok(()));
            Ok(())
        });
        assert_eq!(result, Err("outer 0"));
        // One inner worker: after the outer failure it starts at most the item it was
        // already starting.
        assert!(late_inner.load(SeqCst) <= 1);
    });
}

/// Where a modelled idle thread receives its job.
#[derive(Default)]
struct Mailbox {
    job: Mutex<Option<usize>>,
    delivered: Condvar,
}

#[test]
fn an_idle_thread_timing_out_while_a_loop_claims_it_runs_the_job_once() {
    explore("an idle worker times out while a loop claims it", || {
        let idle = Arc::new(IdleList::new());
        let mailbox = Arc::new(Mailbox::default());
        assert!(idle.park(&mailbox));
        let ran = std::sync::Arc::new(AtomicUsize::new(0));

        // The idle thread's wait has timed out: it retires, unless a loop claimed it first.
        let worker = {
            let (idle, mailbox, ran) = (
                Arc::clone(&idle),
                Arc::clone(&mailbox),
                std::sync::Arc::clone(&ran),
            );
            loom::thread::spawn(move || {
                if idle.retire(&mailbox) {
                    return;
                }
                let mut job = lock(&mailbox.job);
                while job.is_none() {
                    job = wait(&mailbox.delivered, job);
                }
                ran.fetch_add(job.take().unwrap(), SeqCst);
            })
        };
        // Meanwhile a loop starts and needs a thread.
        match idle.claim() {
            Some(thread) => {
                *lock(&thread.job) = Some(1);
                thread.delivered.notify_one();
            }
            None => {
                ran.fetch_add(1, SeqCst); // on a newly spawned thread
            }
        }
        worker.join().unwrap();
        assert_eq!(ran.load(SeqCst), 1, "the job ran exactly once");
    });
}
