//! Thread `while let` loops, through the entry point that the macro's rewrite calls: the head
//! is evaluated on the calling thread, one value at a time and only while a worker slot is
//! free, and its end or its failure ends the loop like a `for` loop's input or iteration.
mod common;

use common::{wait_until, Concurrency, Gate};
use failfast_runtime::cancelled;
use failfast_runtime::rewrite::{while_let as head_loop, LoopSite};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::Duration;

/// `while let Some(v) = next() { body(v) }` as the rewrite writes it, with `next` returning
/// `Result<Option<T>, E>` for a head that may fail (`next()?` in the head).
fn while_let<T: Send, E: Send>(
    site: &'static LoopSite,
    workers: usize,
    mut next: impl FnMut() -> Result<Option<T>, E>,
    body: impl Fn(T) -> Result<(), E> + Sync,
) -> Result<(), E> {
    head_loop(
        |slot: &mut Option<T>| {
            *slot = next()?;
            Ok(())
        },
        workers,
        site,
        body,
    )
}

#[test]
fn exactly_workers_iterations_run_while_values_come_from_a_channel() {
    static SITE: LoopSite = LoopSite::new();
    let (tx, rx) = mpsc::channel();
    // Under Miri, enough for two gates of 4.
    for job in 0..if cfg!(miri) { 8 } else { 40 } {
        tx.send(job).unwrap();
    }
    drop(tx);
    let running = Concurrency::default();
    let gate = Gate::default();
    let (running, gate) = (&running, &gate);
    std::thread::scope(|s| {
        let looped = s.spawn(move || {
            while_let(
                &SITE,
                4,
                || Ok::<_, ()>(rx.recv().ok()),
                |_job| {
                    let _running = running.enter();
                    gate.wait();
                    Ok(())
                },
            )
        });
        // Only 4 workers can get past this point together: a gate no smaller limit passes.
        wait_until("4 iterations run", || running.now() == 4);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(running.now(), 4, "a fifth started: the limit leaked");
        gate.open();
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
    assert_eq!(running.max(), 4);
}

#[test]
fn every_value_taken_from_the_head_starts_an_iteration_with_a_free_slot() {
    static SITE: LoopSite = LoopSite::new();
    let workers = 3;
    let (pulled, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let running = Concurrency::default();
    let full_when_pulled = AtomicBool::new(false);
    let mut next = 0;
    let fail_at = if cfg!(miri) { 8 } else { 60 };
    let result = while_let(
        &SITE,
        workers,
        || {
            // Evaluated only when an iteration can start with the value at once.
            if running.now() >= workers {
                full_when_pulled.store(true, Ordering::SeqCst);
            }
            next += 1;
            pulled.fetch_add(1, Ordering::SeqCst);
            Ok(Some(next))
        },
        |n| {
            let _running = running.enter();
            started.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_micros(200));
            if n == fail_at {
                Err(n)
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(fail_at));
    assert!(
        !full_when_pulled.into_inner(),
        "the head was evaluated while every slot was busy"
    );
    let (pulled, started) = (pulled.into_inner(), started.into_inner());
    // A value pulled just as the failure was recorded may never start ("except when the loop
    // ends meanwhile"): at most one per other worker.
    assert!(
        started <= pulled && pulled - started < workers,
        "pulled {pulled}, started {started}"
    );
    assert!(running.max() <= workers);
}

#[test]
fn the_head_runs_on_the_calling_thread() {
    static SITE: LoopSite = LoopSite::new();
    let caller = std::thread::current().id();
    let heads: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    let bodies: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    let values = common::scaled(50);
    let mut left = values as i32;
    let result = while_let(
        &SITE,
        4,
        || {
            heads.lock().unwrap().push(std::thread::current().id());
            left -= 1;
            Ok::<_, ()>((left >= 0).then_some(left))
        },
        |_| {
            bodies.lock().unwrap().push(std::thread::current().id());
            Ok(())
        },
    );
    assert_eq!(result, Ok(()));
    let heads = heads.into_inner().unwrap();
    assert_eq!(
        heads.len(),
        values + 1,
        "the values and the `None` that ended the loop"
    );
    assert!(heads.iter().all(|&id| id == caller));
    // The caller only feeds: the iterations run on the pool threads.
    assert_eq!(bodies.into_inner().unwrap().len(), values);
}

#[test]
fn a_failing_head_ends_the_loop_and_cancels_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let evaluated = AtomicUsize::new(0);
    let saw_cancel = AtomicUsize::new(0);
    let running = Concurrency::default();
    let result = while_let(
        &SITE,
        4,
        || {
            let n = evaluated.fetch_add(1, Ordering::SeqCst);
            if n < 3 {
                return Ok(Some(n));
            }
            // Fails only once the 3 iterations are running, which then see the cancellation.
            wait_until("3 iterations run", || running.now() == 3);
            Err(format!("page {n} failed"))
        },
        |_| {
            let _running = running.enter();
            wait_until("the loop is cancelled", cancelled);
            saw_cancel.fetch_add(1, Ordering::SeqCst);
            Ok(())
        },
    );
    assert_eq!(result, Err("page 3 failed".to_string()));
    assert_eq!(
        evaluated.into_inner(),
        4,
        "the head is not evaluated after it failed"
    );
    assert_eq!(saw_cancel.into_inner(), 3);
}

#[test]
fn a_head_that_stops_matching_waits_for_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let finished = AtomicUsize::new(0);
    let evaluated = AtomicUsize::new(0);
    let gate = Gate::default();
    let mut left = 6;
    std::thread::scope(|s| {
        let looped = s.spawn(|| {
            while_let(
                &SITE,
                8,
                || {
                    evaluated.fetch_add(1, Ordering::SeqCst);
                    left -= 1;
                    Ok::<_, ()>((left >= 0).then_some(()))
                },
                |()| {
                    gate.wait();
                    finished.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            )
        });
        wait_until("the head has ended", || {
            evaluated.load(Ordering::SeqCst) == 7
        });
        std::thread::sleep(Duration::from_millis(20));
        assert!(!looped.is_finished(), "returned with iterations running");
        gate.open();
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
    assert_eq!(finished.into_inner(), 6);
    assert_eq!(evaluated.into_inner(), 7, "not evaluated after `None`");
}

#[test]
fn after_a_failure_the_channel_keeps_what_was_not_taken() {
    static SITE: LoopSite = LoopSite::new();
    let (tx, rx) = mpsc::channel();
    for job in 0..100 {
        tx.send(job).unwrap();
    }
    let started = AtomicUsize::new(0);
    let result = while_let(
        &SITE,
        4,
        || Ok(rx.recv().ok()),
        |job| {
            started.fetch_add(1, Ordering::SeqCst);
            if job == 10 {
                Err(job)
            } else {
                std::thread::sleep(Duration::from_micros(100));
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(10));
    let left: Vec<i32> = rx.try_iter().collect();
    let started = started.into_inner();
    assert!(started < 20, "the loop went on after its failure");
    // Taken values all started but for at most `workers - 1` taken as the failure came.
    assert!((100 - left.len()) - started < 4);
    assert_eq!(left.first(), Some(&(100 - left.len() as i32)));
}

#[test]
fn one_worker_is_the_sequential_while_let() {
    static SITE: LoopSite = LoopSite::new();
    let mut stack: Vec<u32> = (0..50).collect();
    let seen = Mutex::new(Vec::new());
    let result = while_let(
        &SITE,
        1,
        || Ok(stack.pop()),
        |n| {
            seen.lock().unwrap().push(n);
            if n == 20 {
                Err(n)
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(20));
    assert_eq!(
        seen.into_inner().unwrap(),
        (20..50).rev().collect::<Vec<_>>()
    );
    assert_eq!(
        stack,
        (0..20).collect::<Vec<_>>(),
        "nothing pulled after it"
    );
}

#[test]
fn a_panicking_head_resumes_on_the_caller_after_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let finished = AtomicUsize::new(0);
    let mut n = 0;
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        while_let(
            &SITE,
            4,
            || {
                n += 1;
                if n == 5 {
                    panic!("head broke");
                }
                Ok::<_, ()>(Some(n))
            },
            |_| {
                std::thread::sleep(Duration::from_millis(5));
                finished.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
    }));
    let payload = panicked.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"head broke"));
    assert_eq!(
        finished.into_inner(),
        4,
        "the running iterations finished first"
    );
}

/// A walk whose every level is a `while let` over its own children: the runs of the same
/// loop share one limit, and the recursion finishes.
#[test]
fn recursion_shares_one_limit() {
    static SITE: LoopSite = LoopSite::new();
    const DEPTH: u32 = if cfg!(miri) { 1 } else { 3 };
    fn walk(depth: u32, running: &Concurrency, leaves: &AtomicUsize) -> Result<(), ()> {
        let mut children: Vec<u32> = (0..3).collect();
        while_let(
            &SITE,
            3,
            || Ok(children.pop()),
            |_| {
                if depth == DEPTH {
                    let _running = running.enter();
                    std::thread::sleep(Duration::from_micros(300));
                    leaves.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                } else {
                    walk(depth + 1, running, leaves)
                }
            },
        )
    }
    let running = Concurrency::default();
    let leaves = AtomicUsize::new(0);
    assert_eq!(walk(0, &running, &leaves), Ok(()));
    assert_eq!(leaves.into_inner(), 3usize.pow(DEPTH + 1));
    assert!(running.max() <= 3, "{} leaves at once", running.max());
}

/// Pulled = started in a recursion: a level's head is evaluated only for a pool thread that
/// is free, or for the level's owner, which then runs the value itself; not for the level's
/// own share of the limit while the group's threads are busy elsewhere. A level that ends by
/// a failure has started every value it pulled.
#[test]
fn a_recursion_level_pulls_only_for_a_free_thread() {
    static SITE: LoopSite = LoopSite::new();
    let (pulled, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let other_running = Gate::default();
    let level_done = Gate::default();
    // The root: two values, on the group's two threads; the first one's level runs while
    // the second holds the other thread.
    fn level(
        depth: u32,
        pulled: &AtomicUsize,
        started: &AtomicUsize,
        other_running: &Gate,
        level_done: &Gate,
    ) -> Result<(), usize> {
        let mut next = 0;
        while_let(
            &SITE,
            2,
            || {
                next += 1;
                if depth == 1 {
                    pulled.fetch_add(1, Ordering::SeqCst);
                    return Ok(Some(next));
                }
                Ok((next <= 2).then_some(next))
            },
            |n| {
                if depth == 1 {
                    started.fetch_add(1, Ordering::SeqCst);
                    // Both threads are busy (this one and the root's other value): the head
                    // must not be evaluated meanwhile.
                    let began = std::time::Instant::now();
                    while pulled.load(Ordering::SeqCst) < 2
                        && began.elapsed() < Duration::from_millis(100)
                    {
                        std::thread::yield_now();
                    }
                    return Err(n);
                }
                if n == 1 {
                    other_running.wait();
                    let result = level(1, pulled, started, other_running, level_done);
                    level_done.open();
                    result
                } else {
                    other_running.open();
                    level_done.wait();
                    Ok(())
                }
            },
        )
    }
    assert_eq!(
        level(0, &pulled, &started, &other_running, &level_done),
        Err(1)
    );
    assert_eq!(
        (pulled.into_inner(), started.into_inner()),
        (1, 1),
        "pulled, started in the level"
    );
}
