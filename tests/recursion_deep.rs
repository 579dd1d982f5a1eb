//! A recursion deeper than its thread's stack holds still runs: a comb-shaped walk (each level
//! a leaf and one deeper child) 10,000 levels deep, on a thread with the main thread's 8 MiB,
//! where one level of a parallel loop takes about 2 KiB in a debug build (see
//! `tests/recursion_stack.rs`): about 20 MB, so that a run that finds the stack nearly full
//! goes on on a new segment. Every path (split by index, a shared `Send` input, one the caller
//! feeds, a `while let` head), with 1 worker (every level on the calling thread) and 2; and a
//! failure 9,500 levels down still reaches the top, through every segment. (Not more workers
//! or levels: with several workers, idle pool threads look through every level's run for
//! work, which costs a walk this deep seconds in a debug build.)
mod tree;

use failfast::fail_fast;
use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tree::on_main_stack;

const DEPTH: usize = 10_000;

/// One level's iteration: child 0 is a leaf, child 1 goes one level deeper; the level
/// `fail_at` fails.
fn level(
    child: usize,
    depth: usize,
    fail_at: usize,
    seen: &AtomicUsize,
    deeper: impl FnOnce() -> Result<(), usize>,
) -> Result<(), usize> {
    if child == 0 {
        return Ok(());
    }
    seen.fetch_max(depth, Ordering::Relaxed);
    if depth == fail_at {
        return Err(depth);
    }
    if depth < DEPTH {
        deeper()?;
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn indexed(depth: usize, fail_at: usize, seen: &AtomicUsize, workers: usize) -> Result<(), usize> {
    for child in 0..2 {
        level(child, depth, fail_at, seen, || {
            indexed(depth + 1, fail_at, seen, workers)
        })?;
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn shared(depth: usize, fail_at: usize, seen: &AtomicUsize, workers: usize) -> Result<(), usize> {
    for child in (0..2).map(black_box) {
        level(child, depth, fail_at, seen, || {
            shared(depth + 1, fail_at, seen, workers)
        })?;
    }
    Ok(())
}

/// An input that is not `Send`: the caller pulls it.
#[fail_fast(workers = workers)]
fn fed(depth: usize, fail_at: usize, seen: &AtomicUsize, workers: usize) -> Result<(), usize> {
    let local = Rc::new(2);
    for child in (0..*local).map(|child| black_box(child + *local - 2)) {
        level(child, depth, fail_at, seen, || {
            fed(depth + 1, fail_at, seen, workers)
        })?;
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn headed(depth: usize, fail_at: usize, seen: &AtomicUsize, workers: usize) -> Result<(), usize> {
    let mut children = 0..2;
    while let Some(child) = children.next() {
        level(child, depth, fail_at, seen, || {
            headed(depth + 1, fail_at, seen, workers)
        })?;
    }
    Ok(())
}

type Comb = fn(usize, usize, &AtomicUsize, usize) -> Result<(), usize>;

const PATHS: [(&str, Comb); 4] = [
    ("indexed", indexed),
    ("shared", shared),
    ("fed", fed),
    ("while let", headed),
];

#[test]
fn a_comb_deeper_than_the_stack_holds_runs_on_every_path() {
    for workers in [1, 2] {
        for (path, comb) in PATHS {
            let seen = AtomicUsize::new(0);
            let walked = on_main_stack(|| comb(1, usize::MAX, &seen, workers));
            assert_eq!(walked, Ok(()), "{path}, {workers} workers");
            assert_eq!(seen.into_inner(), DEPTH, "{path}, {workers} workers");
        }
    }
}

#[test]
fn a_failure_far_down_a_deep_comb_reaches_the_top() {
    for workers in [1, 2] {
        for (path, comb) in PATHS {
            let seen = AtomicUsize::new(0);
            let walked = on_main_stack(|| comb(1, 9_500, &seen, workers));
            assert_eq!(walked, Err(9_500), "{path}, {workers} workers");
            assert_eq!(seen.into_inner(), 9_500, "{path}, {workers} workers");
        }
    }
}
