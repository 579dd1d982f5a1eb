//! A loop that an enclosing loop's cancellation cuts short never claims the work it skipped:
//! rather than return `Ok` (a `try_map` with some of its values missing), it leaves the
//! enclosing iteration at once, and the enclosing loop returns its own failure or stop. A
//! loop that returned before the cancellation came returns what it made.
mod common;

use common::{until_cancelled, Gate};
use failfast_runtime::{try_for_each, try_map, Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// An outer loop of two items: item 1 fails with `failure` once `ready` opens, while item 0
/// runs `work`.
fn beside_a_failure(
    ready: &Gate,
    failure: &'static str,
    work: impl Fn() -> Result<(), &'static str> + Sync,
) -> Result<(), &'static str> {
    try_for_each(0..2, 2, |outer| {
        if outer == 1 {
            ready.wait();
            return Err(failure);
        }
        work()
    })
}

#[test]
fn a_map_cut_short_by_a_failure_hands_back_no_values() {
    let inner_running = Gate::default();
    let after_the_map = AtomicUsize::new(0);
    let mapped = AtomicUsize::new(0);
    let result = beside_a_failure(&inner_running, "outer item 1 failed", || {
        let squares = try_map(0..1_000u64, 2, |x| {
            mapped.fetch_add(1, SeqCst);
            inner_running.open();
            until_cancelled();
            Ok(x * x)
        })?;
        // Never reached with part of the squares: this would index out of bounds.
        after_the_map.fetch_add(1, SeqCst);
        assert_eq!(squares[999], 998_001);
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    assert_eq!(
        after_the_map.into_inner(),
        0,
        "the map returned part of its values"
    );
    // Two workers running, one racing: the rest never started.
    assert!(mapped.into_inner() <= 3);
}

#[test]
fn a_map_cut_short_by_a_stop_hands_back_no_values() {
    let token = StopToken::new();
    let inner_running = Gate::default();
    let written = AtomicUsize::new(0);
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            inner_running.wait();
            token.stop();
        });
        Loop::new(2).stop(&token).try_for_each([1u32, 2], |file| {
            let chunks = try_map(0..100u32, 4, |chunk| {
                inner_running.open();
                until_cancelled();
                Ok::<_, Stopped>(format!("{file}:{chunk}"))
            })?;
            written.fetch_add(chunks.len(), SeqCst);
            Ok(())
        })
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(
        written.into_inner(),
        0,
        "a file was written with part of its chunks"
    );
}

#[test]
fn a_loop_that_finished_before_the_failure_returns_what_it_made() {
    let inner_done = Gate::default();
    let lengths = std::sync::Mutex::new(Vec::new());
    let result = beside_a_failure(&inner_done, "outer item 1 failed", || {
        let squares = try_map(0..100u64, 2, |x| Ok(x * x))?;
        lengths.lock().unwrap().push(squares.len());
        inner_done.open();
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    assert_eq!(lengths.into_inner().unwrap(), [100]);
}

/// Three levels: the outermost fails while the innermost runs; neither inner level goes on
/// past its loop.
#[test]
fn every_level_between_the_failure_and_the_cut_loop_is_left() {
    let innermost_running = Gate::default();
    let past_a_loop = AtomicUsize::new(0);
    let result = beside_a_failure(&innermost_running, "outermost failed", || {
        let middle: Result<(), &str> = try_for_each(0..1_000, 2, |_| {
            let innermost: Result<(), &str> = try_for_each(0..1_000, 2, |_| {
                innermost_running.open();
                until_cancelled();
                Ok(())
            });
            past_a_loop.fetch_add(1, SeqCst);
            innermost
        });
        past_a_loop.fetch_add(1, SeqCst);
        middle
    });
    assert_eq!(result, Err("outermost failed"));
    assert_eq!(past_a_loop.into_inner(), 0);
}

/// A comb 2,000 levels deep, one loop of the same call site on every level (a recursion,
/// sharing one limit), cut short as a whole when the loop it runs in fails: every level is
/// left, none goes on past its loop, and no thread's stack overflows (in a debug build too).
fn comb(left: usize, workers: usize, deepest: &Gate, past_a_level: &AtomicUsize) -> Result<(), ()> {
    try_for_each(0..2, workers, |i| {
        if i == 1 {
            return Ok(());
        }
        if left == 0 {
            deepest.open();
            until_cancelled();
            return Ok(());
        }
        comb(left - 1, workers, deepest, past_a_level)?;
        past_a_level.fetch_add(1, SeqCst);
        Ok(())
    })
}

#[test]
fn a_deep_recursion_cut_short_leaves_every_level() {
    let depth = if cfg!(miri) { 20 } else { 2_000 };
    for workers in [1, 2, 4, 8] {
        let deepest = Gate::default();
        let past_a_level = AtomicUsize::new(0);
        let result = beside_a_failure(&deepest, "the walk's caller failed", || {
            comb(depth, workers, &deepest, &past_a_level).map_err(|()| "the walk failed")
        });
        assert_eq!(result, Err("the walk's caller failed"), "{workers} workers");
        assert_eq!(past_a_level.into_inner(), 0, "{workers} workers");
    }
}

/// Runs a cleanup loop when dropped, as a guard that flushes a batch does.
struct Flushes<'a>(&'a AtomicUsize);

impl Drop for Flushes<'_> {
    fn drop(&mut self) {
        let flushed: Result<(), ()> = try_for_each(0..4, 2, |_| {
            self.0.fetch_add(1, SeqCst);
            Ok(())
        });
        // Unwinding already, a loop cut short returns: unwinding again would abort.
        assert!(std::thread::panicking() || flushed.is_ok());
    }
}

#[test]
fn a_loop_run_by_a_destructor_while_the_iteration_unwinds_returns() {
    let inner_running = Gate::default();
    let flushed = AtomicUsize::new(0);
    let result = beside_a_failure(&inner_running, "outer item 1 failed", || {
        let _flush = Flushes(&flushed);
        try_map(0..1_000u64, 2, |x| {
            inner_running.open();
            until_cancelled();
            Ok(x)
        })?;
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    // The cleanup loop ran while the cut map unwound; the enclosing loop was cancelled by
    // then, so it may have started none of its items, but it did not abort the process.
    assert!(flushed.into_inner() <= 4);
}

#[test]
fn a_panic_unwinding_through_a_destructor_that_runs_a_loop_is_resumed() {
    let failed = Gate::default();
    let flushed = AtomicUsize::new(0);
    let caught = std::panic::catch_unwind(|| {
        try_for_each(0..2, 2, |outer| {
            if outer == 1 {
                failed.open();
                return Err("outer item 1 failed");
            }
            let _flush = Flushes(&flushed);
            failed.wait();
            common::wait_until("the loop is cancelled", failfast_runtime::cancelled);
            std::panic::panic_any("item 0 panicked");
        })
    });
    let payload = caught.expect_err("the panic wins over the failure");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"item 0 panicked"));
}

/// An input that waits, as it is dropped, until the loop the map runs in is cancelled: the
/// map had run all its items by then.
struct SlowToClose<'a>(std::ops::Range<u64>, &'a Gate);

impl Iterator for SlowToClose<'_> {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        self.0.next()
    }
}

impl Drop for SlowToClose<'_> {
    fn drop(&mut self) {
        self.1.open();
        until_cancelled();
    }
}

#[test]
fn a_map_cancelled_only_while_its_input_closes_returns_its_values() {
    let closing = Gate::default();
    let lengths = std::sync::Mutex::new(Vec::new());
    let result = beside_a_failure(&closing, "outer item 1 failed", || {
        let squares = try_map(SlowToClose(0..100, &closing), 2, |x| Ok(x * x))?;
        lengths.lock().unwrap().push(squares.len());
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    assert_eq!(lengths.into_inner().unwrap(), [100]);
}

/// An input whose `Drop` resumes a payload it was given.
struct ResumesWhenDropped(Option<Box<dyn std::any::Any + Send>>);

impl Iterator for ResumesWhenDropped {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        None
    }
}

impl Drop for ResumesWhenDropped {
    fn drop(&mut self) {
        if let Some(payload) = self.0.take() {
            std::panic::resume_unwind(payload);
        }
    }
}

#[test]
fn a_cut_short_that_no_cancellation_explains_unwinds_as_a_panic() {
    // A real `CutShort`, caught where the loop it came from was cut short.
    let inner_running = Gate::default();
    let caught = std::sync::Mutex::new(None);
    let result = beside_a_failure(&inner_running, "outer item 1 failed", || {
        let cut = std::panic::catch_unwind(|| {
            try_for_each(0u64.., 2, |_| {
                inner_running.open();
                until_cancelled();
                Ok::<(), &str>(())
            })
        });
        *caught.lock().unwrap() = cut.err();
        Ok(())
    });
    assert_eq!(result, Err("outer item 1 failed"));
    let payload = caught
        .into_inner()
        .unwrap()
        .expect("the inner loop was cut short");
    assert!(payload.is::<failfast_runtime::CutShort>());
    // Resumed by the input of a loop that nothing cancelled, as it is dropped after the loop
    // finished: a panic of that loop, not dropped as a cancelled loop's.
    let input = ResumesWhenDropped(Some(payload));
    let resumed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        try_for_each(input, 2, |_| Ok::<(), ()>(()))
    }));
    let payload = resumed.expect_err("the payload was dropped");
    assert!(payload.is::<failfast_runtime::CutShort>());
}
