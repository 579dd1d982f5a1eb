//! The limit: never more than `workers` iterations at once while values come from the head,
//! also in a recursion (which shares one limit).
use crate::common::{wait_until, Concurrency, Gate};
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

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
