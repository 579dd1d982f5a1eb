//! Thread `while let` loops through the macro: the head is the input, evaluated on the calling
//! thread one value at a time and only when an iteration can start with it; everything else
//! is as for a `for` loop. One test per promise.
use failfast::{cancelled, fail_fast};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// Generous: catches a hang, measures nothing.
const HANG: Duration = Duration::from_secs(30);

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + HANG;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Counts the iterations running now and the most at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Running {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 4)]
fn gated(jobs: &mpsc::Receiver<u32>, running: &Running, open: &AtomicBool) -> Result<(), ()> {
    while let Ok(_job) = jobs.recv() {
        running.enter();
        wait_until("the gate opens", || open.load(Ordering::SeqCst));
        running.leave();
    }
    Ok(())
}

#[test]
fn the_limit_holds_while_values_come_from_a_channel() {
    let (tx, rx) = mpsc::channel();
    for job in 0..40 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let (running, open) = (Running::default(), AtomicBool::new(false));
    let (running, open) = (&running, &open);
    std::thread::scope(|s| {
        let looped = s.spawn(move || gated(&rx, running, open));
        // Only `workers` iterations together get past this point: the gate is closed.
        wait_until("4 iterations run", || {
            running.now.load(Ordering::SeqCst) == 4
        });
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(running.now.load(Ordering::SeqCst), 4, "a fifth started");
        open.store(true, Ordering::SeqCst);
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
    assert_eq!(running.most.load(Ordering::SeqCst), 4);
}

struct Counting<'a> {
    next: u32,
    pulled: &'a AtomicUsize,
    running: &'a Running,
    full_when_pulled: &'a AtomicBool,
}

impl Counting<'_> {
    fn next(&mut self) -> Option<u32> {
        if self.running.now.load(Ordering::SeqCst) >= 3 {
            self.full_when_pulled.store(true, Ordering::SeqCst);
        }
        self.pulled.fetch_add(1, Ordering::SeqCst);
        self.next += 1;
        Some(self.next)
    }
}

#[fail_fast(workers = 3)]
fn counted(mut head: Counting<'_>, started: &AtomicUsize, running: &Running) -> Result<(), u32> {
    while let Some(n) = head.next() {
        running.enter();
        started.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_micros(300));
        running.leave();
        if n == 40 {
            return Err(n);
        }
    }
    Ok(())
}

#[test]
fn every_value_pulled_starts_an_iteration_in_a_free_slot() {
    let (pulled, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let (running, full) = (Running::default(), AtomicBool::new(false));
    let head = Counting {
        next: 0,
        pulled: &pulled,
        running: &running,
        full_when_pulled: &full,
    };
    assert_eq!(counted(head, &started, &running), Err(40));
    assert!(
        !full.into_inner(),
        "the head was evaluated with every slot busy"
    );
    let (pulled, started) = (pulled.into_inner(), started.into_inner());
    // Values pulled as the failure came may not start: at most one per other worker.
    assert!(
        started <= pulled && pulled - started < 3,
        "{pulled} {started}"
    );
}

#[fail_fast(workers = 4)]
fn where_heads_run(
    mut left: u32,
    heads: &Mutex<Vec<ThreadId>>,
    bodies: &AtomicUsize,
) -> Result<(), ()> {
    let mut next = || {
        heads.lock().unwrap().push(std::thread::current().id());
        left = left.checked_sub(1)?;
        Some(left)
    };
    while let Some(_n) = next() {
        bodies.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn the_head_runs_on_the_calling_thread() {
    let (heads, bodies) = (Mutex::new(Vec::new()), AtomicUsize::new(0));
    assert_eq!(where_heads_run(30, &heads, &bodies), Ok(()));
    let heads = heads.into_inner().unwrap();
    assert_eq!(
        heads.len(),
        31,
        "30 values, then the `None` that ends the loop"
    );
    assert!(heads.iter().all(|&id| id == std::thread::current().id()));
    assert_eq!(bodies.into_inner(), 30);
}

fn page(pages: &mut u32, running: &Running) -> Result<Option<u32>, String> {
    *pages += 1;
    if *pages <= 3 {
        return Ok(Some(*pages));
    }
    // Fails once the 3 iterations run, which then see the loop cancelled.
    wait_until("3 iterations run", || {
        running.now.load(Ordering::SeqCst) == 3
    });
    Err(format!("page {pages} failed"))
}

#[fail_fast(workers = 4)]
fn failing_head(pages: &mut u32, running: &Running, saw: &AtomicUsize) -> Result<(), String> {
    while let Some(_page) = page(pages, running)? {
        running.enter();
        wait_until("the loop is cancelled", cancelled);
        saw.fetch_add(1, Ordering::SeqCst);
        running.leave();
    }
    Ok(())
}

#[test]
fn a_failure_in_the_head_ends_the_loop_like_an_iterations() {
    let (mut pages, running, saw) = (0, Running::default(), AtomicUsize::new(0));
    assert_eq!(
        failing_head(&mut pages, &running, &saw),
        Err("page 4 failed".to_string())
    );
    assert_eq!(pages, 4, "the head is not evaluated after its failure");
    assert_eq!(saw.into_inner(), 3, "the running iterations were cancelled");
}

#[fail_fast(workers = 8)]
fn never_matches(left: u32, finished: &AtomicUsize) -> Result<(), ()> {
    while let Some(_n) = left.checked_sub(1) {
        finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 8)]
fn until_none(items: &Mutex<Vec<u32>>, finished: &AtomicUsize) -> Result<(), ()> {
    while let Some(_n) = items.lock().unwrap().pop() {
        std::thread::sleep(Duration::from_millis(20));
        finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn a_head_that_stops_matching_waits_for_the_running_iterations() {
    let (items, finished) = (Mutex::new((0..6).collect()), AtomicUsize::new(0));
    assert_eq!(until_none(&items, &finished), Ok(()));
    assert_eq!(finished.into_inner(), 6, "returned before they finished");
}

#[fail_fast(workers = 4)]
fn until_job_ten(jobs: &mpsc::Receiver<u32>, started: &AtomicUsize) -> Result<(), u32> {
    while let Ok(job) = jobs.recv() {
        started.fetch_add(1, Ordering::SeqCst);
        if job == 10 {
            return Err(job);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(())
}

#[test]
fn after_the_first_failure_the_channel_keeps_what_was_not_taken() {
    let (tx, rx) = mpsc::channel();
    for job in 0..100 {
        tx.send(job).unwrap();
    }
    let started = AtomicUsize::new(0);
    assert_eq!(until_job_ten(&rx, &started), Err(10));
    let left: Vec<u32> = rx.try_iter().collect();
    let (taken, started) = (100 - left.len(), started.into_inner());
    assert!(started < 20, "it went on after the failure");
    assert!(taken - started < 4, "taken {taken}, started {started}");
}

#[fail_fast(workers = 4)]
fn first_odd_square(numbers: &Mutex<Vec<u32>>) -> Result<Option<u32>, ()> {
    while let Some(n) = numbers.lock().unwrap().pop() {
        if n % 2 == 0 {
            continue;
        }
        return Ok(Some(n * n));
    }
    Ok(None)
}

#[test]
fn return_and_continue_work_as_in_a_for_loop() {
    let numbers = Mutex::new(vec![2, 4, 7, 6]);
    assert_eq!(first_odd_square(&numbers), Ok(Some(49)));
    let evens = Mutex::new(vec![2, 4, 6]);
    assert_eq!(first_odd_square(&evens), Ok(None));
}

#[fail_fast(workers = 1)]
fn in_order(mut stack: Vec<u32>, seen: &Mutex<Vec<u32>>) -> Result<Vec<u32>, u32> {
    while let Some(n) = stack.pop() {
        seen.lock().unwrap().push(n);
        if n == 5 {
            return Err(n);
        }
    }
    Ok(stack)
}

#[test]
fn one_worker_is_the_sequential_while_let() {
    let seen = Mutex::new(Vec::new());
    assert_eq!(in_order((0..10).collect(), &seen), Err(5));
    assert_eq!(seen.into_inner().unwrap(), vec![9, 8, 7, 6, 5]);
}

/// A directory-like walk: each level's `while let` takes its children from its own list,
/// and recursion reaches the same loop again, which shares one limit.
#[fail_fast(workers = 3)]
fn walk(depth: u32, running: &Running, leaves: &AtomicUsize) -> Result<(), ()> {
    let mut children = vec![0, 1, 2];
    while let Some(_child) = children.pop() {
        if depth == 3 {
            running.enter();
            std::thread::sleep(Duration::from_micros(300));
            leaves.fetch_add(1, Ordering::SeqCst);
            running.leave();
        } else {
            walk(depth + 1, running, leaves)?;
        }
    }
    Ok(())
}

#[test]
fn recursion_shares_one_limit() {
    let (running, leaves) = (Running::default(), AtomicUsize::new(0));
    assert_eq!(walk(0, &running, &leaves), Ok(()));
    assert_eq!(leaves.into_inner(), 81);
    assert!(running.most.into_inner() <= 3);
}

#[test]
fn a_loop_whose_head_never_matches_runs_nothing() {
    let finished = AtomicUsize::new(0);
    assert_eq!(never_matches(0, &finished), Ok(()));
    assert_eq!(finished.into_inner(), 0);
}
