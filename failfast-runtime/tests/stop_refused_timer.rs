//! A loop's timeout stops it although the OS refused the thread that watches deadlines (a
//! memory, pids or thread limit, injected through the runtime's test-only hook): the loop's
//! own threads then stop it at the deadline, and it never runs on without its timeout.
//!
//! No test of this file lets the timer thread start: each refuses the first thread start of
//! its loop, which is the timer's as long as that thread is not running.
mod common;

use common::{until_cancelled, Path, HANG};
use failfast_runtime::fault::{refuse_thread_starts, refused_thread_starts, Refuse};
use failfast_runtime::rewrite::{LoopSite, Split};
use failfast_runtime::{Loop, Stopped};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How late a loop may return after its time: generous, as other programs share the machine;
/// a loop whose timeout never fired runs until its iterations give up after [`HANG`].
const LATE: Duration = Duration::from_secs(10);

/// The hook is process-wide: one test at a time sets it.
fn hook() -> MutexGuard<'static, ()> {
    static HOOK: Mutex<()> = Mutex::new(());
    let guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    refuse_thread_starts(Refuse::Never);
    guard
}

/// How a loop of these tests ended.
#[derive(Debug, PartialEq)]
enum Ended {
    Stopped(Stopped),
    /// An iteration found that the timeout had not fired long after it was due.
    Late,
}

impl From<Stopped> for Ended {
    fn from(stopped: Stopped) -> Ended {
        Ended::Stopped(stopped)
    }
}

/// Runs a loop with a 40 ms timeout over an input that outlasts [`HANG`] on `path`, each
/// iteration running `iteration`, with thread starts refused as `refuse` says; checks that it
/// returned `Stopped::timeout()` soon after the 40 ms.
fn times_out(path: Path, refuse: Refuse, iteration: impl Fn() + Sync) {
    static INDEXED: LoopSite = LoopSite::new();
    let timeout = Duration::from_millis(40);
    let settings = Loop::new(4).timeout(timeout);
    let begin = Instant::now();
    let body = |_: u64| {
        if begin.elapsed() > HANG {
            return Err(Ended::Late);
        }
        iteration();
        Ok(())
    };
    refuse_thread_starts(refuse);
    let result = match path {
        // Split by index, the input is collected first: a million items.
        Path::Indexed => Split
            .thread_loop_with(
                (0..1_000_000).collect::<Vec<u64>>(),
                settings,
                &INDEXED,
                body,
            )
            .unwrap_or_else(|stopped| Err(stopped.into())),
        _ => path.try_for_each_with(0.., settings, body),
    };
    let took = begin.elapsed();
    let refused = refused_thread_starts();
    refuse_thread_starts(Refuse::Never);
    assert!(
        refused >= 1,
        "{path:?}, {refuse:?}: the timer thread was not refused"
    );
    assert_eq!(
        result,
        Err(Ended::Stopped(Stopped::timeout())),
        "{path:?}, {refuse:?}"
    );
    assert!(
        took >= timeout,
        "{path:?}, {refuse:?}: returned after {took:?}"
    );
    assert!(
        took < timeout + LATE,
        "{path:?}, {refuse:?}: returned after {took:?}"
    );
}

#[test]
fn a_timeout_fires_over_an_endless_input_when_the_timer_thread_is_refused() {
    let _hook = hook();
    // The timer thread alone refused (pool threads run the items, the owner waits), and every
    // thread refused (the owner runs the items itself).
    for refuse in [Refuse::Nth(1), Refuse::AllAfter(0)] {
        for path in Path::ALL {
            times_out(path, refuse, || {
                std::thread::sleep(Duration::from_micros(100));
            });
        }
    }
}

#[test]
fn iterations_that_wait_for_the_timeout_see_it_when_the_timer_thread_is_refused() {
    let _hook = hook();
    for refuse in [Refuse::Nth(1), Refuse::AllAfter(0)] {
        for path in Path::ALL {
            // Every worker, the owner included where it works, waits in an iteration that
            // only `cancelled()` ends: no thread of the loop is left to wait on a clock.
            times_out(path, refuse, until_cancelled);
        }
    }
}

#[test]
fn a_while_let_loop_times_out_when_every_thread_is_refused() {
    // The owner runs every value itself then: its timed wait never comes, so it looks at the
    // clock before each evaluation of the head.
    let _hook = hook();
    static SITE: LoopSite = LoopSite::new();
    let begin = Instant::now();
    let mut n = 0u64;
    refuse_thread_starts(Refuse::AllAfter(0));
    let result: Result<Result<(), ()>, Stopped> = failfast_runtime::rewrite::while_let_with(
        |slot: &mut Option<u64>| {
            if begin.elapsed() < LATE {
                n += 1;
                *slot = Some(n);
            }
            Ok(())
        },
        Loop::new(4).timeout(Duration::from_millis(40)),
        &SITE,
        |_value: u64| {
            std::thread::sleep(Duration::from_micros(200));
            Ok(())
        },
    );
    let took = begin.elapsed();
    let refused = refused_thread_starts();
    refuse_thread_starts(Refuse::Never);
    assert!(refused >= 1, "no thread start was refused");
    assert_eq!(
        result,
        Err(Stopped::timeout()),
        "after {took:?}, {n} values"
    );
}

#[test]
fn an_iteration_failing_because_it_saw_the_timeout_loses_to_it_without_the_timer_thread() {
    // `cancelled()` is true at the deadline before any thread has recorded the timeout: the
    // failure it causes must not win over the timeout.
    let _hook = hook();
    static SITE: LoopSite = LoopSite::new();
    for round in 0..5 {
        let begin = Instant::now();
        refuse_thread_starts(Refuse::Nth(1));
        let result: Result<Result<(), &str>, Stopped> = Split.thread_loop_with(
            vec![0u32, 1, 2, 3],
            Loop::new(4).timeout(Duration::from_millis(40)),
            &SITE,
            |_| {
                while !failfast_runtime::cancelled() {
                    assert!(begin.elapsed() < HANG, "the timeout never came");
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err("an iteration that saw cancelled()")
            },
        );
        let refused = refused_thread_starts();
        refuse_thread_starts(Refuse::Never);
        assert!(refused >= 1, "round {round}: no thread start was refused");
        assert_eq!(result, Err(Stopped::timeout()), "round {round}");
    }
}

#[test]
fn a_loop_nested_in_a_timed_loop_sees_its_deadline_without_the_timer_thread() {
    // Every outer worker runs an inner loop over an endless input, so no outer thread is left
    // to look at the clock: the inner loop must see the outer deadline itself.
    let _hook = hook();
    static OUTER: LoopSite = LoopSite::new();
    let begin = Instant::now();
    refuse_thread_starts(Refuse::Nth(1));
    let result: Result<Result<(), &str>, Stopped> = Split.thread_loop_with(
        vec![0u32, 1],
        Loop::new(2).timeout(Duration::from_millis(40)),
        &OUTER,
        |_| {
            failfast_runtime::try_for_each(0u64.., 2, |_| {
                if begin.elapsed() > LATE {
                    return Err("the inner loop ran on past the outer timeout");
                }
                std::thread::sleep(Duration::from_micros(200));
                Ok(())
            })
        },
    );
    let refused = refused_thread_starts();
    refuse_thread_starts(Refuse::Never);
    assert!(refused >= 1, "no thread start was refused");
    assert_eq!(result, Err(Stopped::timeout()));
}
