//! A lazy `Send` input whose items are too fast to share is held by one worker, which runs
//! it like the sequential loop while the others step back. Every promise still holds when
//! that happens: the holder lets go when the items turn slow, an ending while held is the
//! loop's ending, and an enclosing loop's failure stops a held input.
//!
//! Each test first runs many tiny items on two or more workers, which is what makes a worker
//! hold the input; the assertions hold whichever worker ends up holding it, or none.
mod common;

use common::{counted, scaled, wait_until, Concurrency, Item, Path};
use failfast_runtime::{cancelled, try_for_each};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Tiny items before anything happens: enough for the workers to find that sharing them
/// costs more than running them.
fn tiny_items() -> usize {
    scaled(300_000)
}

#[test]
fn a_held_input_is_shared_again_when_its_items_turn_slow() {
    for workers in [2, 3] {
        let tiny = tiny_items();
        // More slow items than the batches of 64 that a worker may have taken while they
        // were fast: those run one after another on that worker, as in any batch.
        let slow = 80 * workers;
        let running = Concurrency::default();
        let result = Path::Shared.try_for_each(0..tiny + slow, workers, |i| {
            if i >= tiny {
                let _running = running.enter();
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok::<(), ()>(())
        });
        assert_eq!(result, Ok(()));
        // A worker that stepped back joins again within a millisecond, and the holder lets
        // go within 8 items: the slow items then run `workers` at once.
        assert_eq!(
            running.max(),
            workers,
            "{workers} workers never ran the slow items at once"
        );
    }
}

#[test]
fn a_failure_while_held_ends_the_loop_with_nothing_after_it() {
    for workers in [1, 2, 4] {
        let tiny = tiny_items();
        let pulled = AtomicUsize::new(0);
        let started = AtomicUsize::new(0);
        let started_after = AtomicUsize::new(0);
        let result = Path::Shared.try_for_each(counted(0.., &pulled), workers, |i| {
            started.fetch_add(1, Ordering::SeqCst);
            // Started after the failure was recorded, as the contract counts them (a flag
            // set by the failing body itself would also count the items that start while
            // it returns, before anything is recorded).
            if cancelled() {
                started_after.fetch_add(1, Ordering::SeqCst);
            }
            if i == tiny {
                return Err(i);
            }
            Ok(())
        });
        assert_eq!(result, Err(tiny), "an endless input ends at its failure");
        assert!(
            started_after.load(Ordering::SeqCst) < workers,
            "{workers} workers: {} iterations started after the failure",
            started_after.load(Ordering::SeqCst)
        );
        let pulled = pulled.load(Ordering::SeqCst);
        let started = started.load(Ordering::SeqCst);
        // The contract's bound: at most 64 items per worker taken ahead of the iterations
        // that started. (Not "64 per worker past the failing item": the other workers go on
        // starting the items of their batches, and claiming more, until the failure is
        // recorded, which with both workers on cores of their own they do.)
        assert!(
            pulled - started <= 64 * workers,
            "{workers} workers: {pulled} items pulled, {started} started"
        );

        if workers == 1 {
            assert_eq!(
                pulled,
                tiny + 1,
                "one worker pulls like the sequential loop"
            );
        }
    }
}

#[test]
fn a_panic_while_held_resumes_and_every_item_is_dropped_once() {
    for workers in [1, 2, 3] {
        let tiny = tiny_items();
        let len = tiny + 1000;
        let drops: Vec<AtomicUsize> = (0..len).map(|_| AtomicUsize::new(0)).collect();
        let pulled = AtomicUsize::new(0);
        let input = counted(0..len, &pulled).map(|index| Item {
            index,
            drops: &drops,
        });
        let unwound = catch_unwind(AssertUnwindSafe(|| {
            Path::Shared.try_for_each(input, workers, |item| {
                if item.index == tiny {
                    panic_any(tiny);
                }
                Ok::<(), ()>(())
            })
        }));
        let payload = unwound.expect_err("the panic resumes on the caller");
        assert_eq!(payload.downcast_ref::<usize>(), Some(&tiny));
        let pulled = pulled.load(Ordering::SeqCst);
        for (index, dropped) in drops.iter().enumerate() {
            let dropped = dropped.load(Ordering::SeqCst);
            let expected = usize::from(index < pulled);
            assert!(
                dropped == expected || (index >= pulled && dropped == 0),
                "{workers} workers: item {index} dropped {dropped} times ({pulled} pulled)"
            );
        }
        // The runtime works afterwards.
        assert_eq!(
            Path::Shared.try_for_each(0..10, workers, |_| Ok::<(), ()>(())),
            Ok(())
        );
    }
}

#[test]
fn an_input_that_panics_while_held_resumes_with_its_payload() {
    for workers in [1, 2] {
        let tiny = tiny_items();
        let input = (0..).inspect(|&i| {
            if i == tiny {
                panic_any(format!("input {i}"));
            }
        });
        let unwound = catch_unwind(AssertUnwindSafe(|| {
            Path::Shared.try_for_each(input, workers, |_| Ok::<(), ()>(()))
        }));
        let payload = unwound.expect_err("the input's panic resumes on the caller");
        assert_eq!(
            payload.downcast_ref::<String>().map(String::as_str),
            Some(format!("input {tiny}").as_str())
        );
    }
}

#[test]
fn an_enclosing_failure_stops_a_held_inner_input() {
    let inner_ran = AtomicUsize::new(0);
    let result = try_for_each(0..2, 2, |outer| {
        if outer == 0 {
            // Fails once the inner loop has run enough tiny items to be held.
            wait_until("the inner loop runs", || {
                inner_ran.load(Ordering::SeqCst) > tiny_items()
            });
            return Err("outer failure");
        }
        // Endless: only the outer failure can end it.
        Path::Shared.try_for_each(0.., 2, |_| {
            inner_ran.fetch_add(1, Ordering::Relaxed);
            Ok::<(), &str>(())
        })
    });
    assert_eq!(result, Err("outer failure"));
}
