//! Pulled = started: the head is evaluated only when an iteration can start with its value: for
//! a pool thread that is free, or for a recursion level's owner, which runs it itself. (With
//! threads refused: `refused_threads`.)
use crate::common::{Concurrency, Gate};
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

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
