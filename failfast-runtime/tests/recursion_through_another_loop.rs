//! A loop reached again through a second loop (`walk` calls `entries`, which calls `walk`)
//! joins its first run's group also where the second loop's pool threads reach it: every
//! level's result comes back, and a failure deep inside comes out of the outermost call. Run
//! under Miri too: the places of the runs (`engine/group.rs`) are raw pointers read across
//! threads.
use failfast_runtime::try_for_each;
use std::sync::atomic::{AtomicUsize, Ordering};

fn walk(depth: u32, visited: &AtomicUsize, fail_at: Option<u32>) -> Result<(), u32> {
    try_for_each(0..2u32, 2, |_| {
        visited.fetch_add(1, Ordering::SeqCst);
        if depth == 0 {
            return Ok(());
        }
        entries(depth - 1, visited, fail_at)
    })
}

fn entries(depth: u32, visited: &AtomicUsize, fail_at: Option<u32>) -> Result<(), u32> {
    try_for_each(0..2u32, 2, |entry| {
        if fail_at == Some(depth) && entry == 1 {
            return Err(depth);
        }
        walk(depth, visited, fail_at)
    })
}

#[test]
fn every_level_of_a_recursion_through_a_second_loop_runs() {
    let visited = AtomicUsize::new(0);
    assert_eq!(walk(3, &visited, None), Ok(()));
    // Each walk level has 2 iterations, each calling 2 walks one level down: 2 + 8 + 32 + 128.
    assert_eq!(visited.into_inner(), 170);
}

#[test]
fn a_failure_deep_in_a_recursion_through_a_second_loop_comes_out() {
    let visited = AtomicUsize::new(0);
    assert_eq!(walk(3, &visited, Some(0)), Err(0));
}
