//! Iterations that wait for each other, and an input that waits for an item to start: an item
//! taken from the input never waits behind another one while a worker has nothing to do, on
//! every path, also once fast items have made the engine hand items out in batches.
mod common;

use common::{scaled, watched, Path};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Barrier};

/// `workers` iterations at a time meet at a `Barrier` of `workers`, also after fast items
/// (which grow batches): every item runs, none waits behind one that waits at the barrier.
/// (Not after some 320 nanosecond items in a row, which a worker may run holding a lazy input
/// alone: see the crate's docs.)
#[test]
fn iterations_that_meet_at_a_barrier_of_workers_all_run() {
    watched(|progress| {
        for path in Path::ALL {
            for (fast, meeting) in [(0, 8), (0, scaled(400)), (64, 8), (64, scaled(400))] {
                let case = format!("{path:?}, {fast} fast items, then {meeting} meeting");
                progress.send(case.clone()).unwrap();
                let barrier = Barrier::new(4);
                let ran = AtomicUsize::new(0);
                path.try_for_each(0..fast + meeting, 4, |i| {
                    if i >= fast {
                        barrier.wait();
                    }
                    ran.fetch_add(1, Ordering::Relaxed);
                    Ok::<(), ()>(())
                })
                .unwrap();
                assert_eq!(ran.into_inner(), fast + meeting, "{case}");
            }
        }
    });
}

/// Many short loops of meeting iterations, with 2 to 8 workers: each loop's few fast
/// iterations (the last to reach each barrier) grow batches anew, and the caller's path then
/// handed a batch to one worker alone, so the last items of a loop waited in the hand of a
/// worker whose item waited at the barrier (it hung in about one call of 2,000).
#[test]
fn short_loops_of_meeting_iterations_all_finish() {
    watched(|progress| {
        for round in 0..scaled(50) {
            for path in Path::ALL {
                for workers in [2, 3, 4, 8] {
                    for per_worker in [1, 3, 10, 50] {
                        let items = workers * per_worker;
                        progress
                            .send(format!(
                                "round {round}: {path:?}, {workers} workers, {items} items"
                            ))
                            .unwrap();
                        let barrier = Barrier::new(workers);
                        let ran = AtomicUsize::new(0);
                        path.try_for_each(0..items, workers, |_| {
                            barrier.wait();
                            ran.fetch_add(1, Ordering::Relaxed);
                            Ok::<(), ()>(())
                        })
                        .unwrap();
                        assert_eq!(ran.into_inner(), items);
                    }
                }
            }
        }
    });
}

/// A `Send` input whose `next()` waits until the item before it has started, as a
/// request/response channel does (a producer that sends the next job once it hears that the
/// last one began): the workers take what the puller pulled while it waits. On the path of a
/// `Send` input only: the calling thread pulls any other input a batch at a time (see the
/// crate's docs), and an input split by index is collected before the loop.
#[test]
fn an_input_that_waits_for_its_last_item_to_start_is_not_waited_for() {
    watched(|progress| {
        let jobs = scaled(2_000);
        let (started, heard) = mpsc::channel::<usize>();
        let heard = std::sync::Mutex::new(heard);
        // Job n + 1 comes once job n has started.
        let input = (0..jobs).inspect(move |&n| {
            if n > 0 {
                let last = heard.lock().unwrap().recv().unwrap();
                assert_eq!(last, n - 1);
            }
        });
        let ran = AtomicUsize::new(0);
        Path::Shared
            .try_for_each(input, 4, |n| {
                started.send(n).unwrap();
                ran.fetch_add(1, Ordering::Relaxed);
                Ok::<(), ()>(())
            })
            .unwrap();
        progress.send(jobs).unwrap();
        assert_eq!(ran.into_inner(), jobs);
    });
}
