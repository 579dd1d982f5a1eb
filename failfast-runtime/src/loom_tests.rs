//! Model checks of the cancellation protocol with loom: every interleaving of the engine's
//! synchronisation (within a preemption bound) is run and checked.
//!
//! `RUSTFLAGS="--cfg loom" cargo test -p failfast-runtime --release --lib`
use crate::engine::{self, indexed::IntoIndexed, Body, Site};
use crate::rewrite::LoopSite;
use crate::{cancelled, never_stopped, try_for_each, ForEach, Loop, Settings};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
// Bookkeeping of the tests themselves, outside the model: plain std atomics.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Runs `body` under loom with a preemption bound that keeps the runs to seconds, and prints
/// how many interleavings it explored.
fn explore(name: &str, body: impl Fn() + Sync + Send + 'static) {
    explore_bounded(name, 2, body);
}

/// [`explore`] with its own preemption bound: models with more threads need a lower one to
/// finish in seconds. `FAILFAST_LOOM_BOUND` raises every bound, for a longer run by hand.
fn explore_bounded(name: &str, bound: usize, body: impl Fn() + Sync + Send + 'static) {
    let bound = std::env::var("FAILFAST_LOOM_BOUND")
        .ok()
        .and_then(|b| b.parse().ok())
        .map_or(bound, |b: usize| b.max(bound));
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&runs);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(bound);
    // Loom's default, 1,000, is exceeded by a worker holding a lazy input alone, which checks
    // its loop's chain before each item (`cancel.rs`: three loads, not one) while it waits for
    // a taker: more branches, not a spin that never ends.
    builder.max_branches = 4_000;
    builder.check(move || {
        counted.fetch_add(1, SeqCst);
        body();
        crate::pool::cache::wait_for_exits();
    });
    RUNS.fetch_add(runs.load(SeqCst), SeqCst);
    println!("loom: {name}: {} interleavings explored", runs.load(SeqCst));
}

/// The engine's indexed path, for a loop with nothing that stops it from outside.
fn drive_indexed<I, B>(input: I, workers: usize, site: Site, body: &B) -> B::Outcome
where
    I: IntoIndexed,
    I::Item: Send,
    B: Body<I::Item>,
{
    never_stopped(engine::drive_indexed(
        input,
        &Settings::with_workers(workers),
        site,
        body,
    ))
}

/// The engine's shared path, for a loop with nothing that stops it from outside.
fn drive_shared<I, B>(input: I, workers: usize, site: Site, body: &B) -> B::Outcome
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    B: Body<I::Item>,
{
    never_stopped(engine::drive_shared(
        input,
        &Settings::with_workers(workers),
        site,
        body,
    ))
}

/// An error that counts its drops.
struct Counted<'a>(usize, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, SeqCst);
    }
}

#[test]
fn two_workers_failing_at_once_return_exactly_one_error() {
    explore_bounded("two workers fail at once", 1, || {
        let dropped = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let result = try_for_each(0..2, 2, |i| {
            ran.fetch_or(1 << i, SeqCst);
            Err(Counted(i, &dropped))
        });
        let error = result.expect_err("the loop fails");
        // The other error, if its iteration ran, was dropped; none is lost or kept twice.
        let both_ran = ran.load(SeqCst) == 0b11;
        assert_eq!(dropped.load(SeqCst), usize::from(both_ran));
        assert_ne!(
            ran.load(SeqCst) & (1 << error.0),
            0,
            "an error no iteration returned"
        );
        drop(error);
        assert_eq!(dropped.load(SeqCst), usize::from(both_ran) + 1);
    });
}

#[test]
fn a_failure_racing_the_next_pickup_starts_at_most_workers_minus_one() {
    explore_bounded("a failure races a worker taking the next item", 1, || {
        let started_after = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let result = try_for_each(0..3, 2, |i| {
            ran.fetch_add(1, SeqCst);
            if cancelled() {
                started_after.fetch_add(1, SeqCst);
            }
            if i == 0 {
                return Err(i);
            }
            Ok(())
        });
        assert_eq!(result, Err(0));
        assert!(
            started_after.load(SeqCst) <= 1,
            "more than workers - 1 started after the failure"
        );
    });
}

#[test]
fn a_panic_racing_an_error_wins() {
    // The injected panic would otherwise be printed once per interleaving.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.payload().is::<usize>() {
            previous(info);
        }
    }));
    explore_bounded("a panic races an error", 1, || {
        let panicked = AtomicUsize::new(0);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            try_for_each(0..2usize, 2, |i| {
                if i == 1 {
                    panicked.fetch_add(1, SeqCst);
                    panic_any(i);
                }
                Err(i)
            })
        }));
        match outcome {
            Err(payload) => {
                let text = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
                assert_eq!(
                    payload.downcast_ref::<usize>(),
                    Some(&1),
                    "another panic: {text:?}"
                );
            }
            Ok(result) => {
                assert_eq!(result, Err(0));
                assert_eq!(
                    panicked.load(SeqCst),
                    0,
                    "a panic happened, yet an error was returned"
                );
            }
        }
    });
}

#[test]
fn an_inner_loop_inherits_the_outer_cancellation() {
    explore_bounded("nested loops inherit cancellation", 1, || {
        let late_inner = AtomicUsize::new(0);
        let result = try_for_each(0..2, 2, |outer| {
            if outer == 0 {
                return Err("outer 0");
            }
            let inner = try_for_each(0..2, 1, |_| {
                if cancelled() {
                    late_inner.fetch_add(1, SeqCst);
                }
                Ok::<(), &str>(())
            });
            // Only if the inner loop settled before the outer failure: cut short by it, the
            // inner loop leaves this iteration with `CutShort`, which the outer run drops.
            assert_eq!(inner, Ok(()));
            Ok(())
        });
        assert_eq!(result, Err("outer 0"));
        // One inner worker: after the outer failure it starts at most the item it was
        // already starting.
        assert!(late_inner.load(SeqCst) <= 1);
    });
}

#[test]
fn an_idle_thread_timing_out_while_a_loop_claims_it_runs_the_job_once() {
    // The real thread cache: under loom an idle thread's wait times out at once, so the
    // second loop's claim races the first loop's thread retiring from the idle list.
    explore(
        "the idle list: a thread retires while a loop claims it",
        || {
            let ran = AtomicUsize::new(0);
            for _ in 0..2 {
                let result = try_for_each(0..1, 1, |_| {
                    ran.fetch_add(1, SeqCst);
                    Ok::<(), ()>(())
                });
                assert_eq!(result, Ok(()));
            }
            assert_eq!(ran.load(SeqCst), 2, "each loop's one item ran exactly once");
        },
    );
}

/// An item whose drops are counted: each must be dropped exactly once, run or not.
struct Item<'a>(usize, &'a AtomicUsize);

impl Drop for Item<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, SeqCst);
    }
}

#[test]
fn two_threads_claiming_indices_run_or_drop_every_item_once() {
    static SITE: LoopSite = LoopSite::new();
    explore(
        "index claims: a failure while the caller and a worker claim",
        || {
            let dropped = AtomicUsize::new(0);
            let ran = AtomicUsize::new(0);
            let items: Vec<Item<'_>> = (0..3).map(|i| Item(i, &dropped)).collect();
            let result = drive_indexed(
                items,
                2,
                Site::Loop(&SITE),
                &ForEach(&|item: Item<'_>| {
                    ran.fetch_add(1, SeqCst);
                    if item.0 == 1 {
                        return Err(item.0);
                    }
                    Ok(())
                }),
            );
            assert_eq!(result, Err(1));
            assert_eq!(dropped.load(SeqCst), 3, "every item dropped exactly once");
            assert!(ran.load(SeqCst) >= 1);
        },
    );
}

#[test]
fn two_threads_pulling_one_iterator_in_batches_run_each_item_once() {
    static SITE: LoopSite = LoopSite::new();
    explore(
        "a shared iterator, pulled by the caller and a worker",
        || {
            // Under loom batches double on every claim: batch mode is explored too.
            let seen = AtomicUsize::new(0);
            let result = drive_shared(
                (0..4usize).map(|i| 1 << i),
                2,
                Site::Loop(&SITE),
                &ForEach(&|bit: usize| {
                    let before = seen.fetch_or(bit, SeqCst);
                    assert_eq!(before & bit, 0, "item {bit} ran twice");
                    Ok::<(), ()>(())
                }),
            );
            assert_eq!(result, Ok(()));
            assert_eq!(seen.load(SeqCst), 0b1111, "every item ran");
        },
    );
}

/// Items `0..items` whose item `waiter` waits until the one after it has started, a wait that
/// loom sees: `run` runs them with 2 workers, and a model in which nobody takes the item after
/// the waiter deadlocks.
fn one_waits_for_the_next(
    items: usize,
    waiter: usize,
    run: impl FnOnce(&(dyn Fn(usize) -> Result<(), ()> + Sync)) -> Result<(), ()>,
) {
    let started = crate::sync::Mutex::new(0usize);
    let changed = crate::sync::Condvar::new();
    let result = run(&|item| {
        let mut seen = crate::sync::lock(&started);
        *seen |= 1 << item;
        changed.notify_all();
        if item == waiter {
            while *seen & (1 << (waiter + 1)) == 0 {
                seen = crate::sync::wait(&changed, seen);
            }
        }
        Ok(())
    });
    assert_eq!(result, Ok(()));
    assert_eq!(*crate::sync::lock(&started), (1 << items) - 1);
}

#[test]
fn an_item_that_waits_for_the_next_one_is_not_left_waiting_behind_it() {
    static SITE: LoopSite = LoopSite::new();
    explore(
        "a shared iterator whose second item waits until its third has started",
        || {
            // The second claim under loom is a batch of 2: items 1 and 2 in one hand when one
            // worker takes both. Item 1 waits for item 2: the other worker must take it from
            // that hand, also after the input ran out.
            one_waits_for_the_next(3, 1, |body| {
                drive_shared(0..3usize, 2, Site::Loop(&SITE), &ForEach(&body))
            });
        },
    );
}

#[test]
fn an_item_the_caller_pulled_is_not_left_waiting_behind_one_that_waits_for_it() {
    explore_bounded(
        "an input the caller pulls, whose third item waits until its fourth has started",
        1,
        || {
            // Batches under loom double on every claim, up to 4 on this path: after two
            // claims, the caller may pull items 2 to 4 at once, and a worker take items 2 and 3
            // into its hand. Item 2 waits for item 3: the other worker must take it from that
            // hand.
            one_waits_for_the_next(5, 2, |body| try_for_each(0..5usize, 2, body));
        },
    );
}

#[test]
fn an_item_the_caller_pulled_starts_while_it_pulls_the_next() {
    explore_bounded(
        "an input the caller pulls, whose next() waits until the item before it has started",
        1,
        || {
            // A channel whose sender sends a job once the last one is acknowledged. Batches
            // under loom double on every claim: the caller soon pulls several items at once,
            // and must not hold one back while it waits in `next()` for that one.
            let started = crate::sync::Mutex::new(0usize);
            let changed = crate::sync::Condvar::new();
            let mut next = 0usize;
            let input = std::iter::from_fn(|| {
                if next == 3 {
                    return None;
                }
                if next > 0 {
                    let mut seen = crate::sync::lock(&started);
                    while *seen & (1 << (next - 1)) == 0 {
                        seen = crate::sync::wait(&changed, seen);
                    }
                }
                next += 1;
                Some(next - 1)
            });
            let result = try_for_each(input, 2, |item: usize| {
                *crate::sync::lock(&started) |= 1 << item;
                changed.notify_all();
                Ok::<(), ()>(())
            });
            assert_eq!(result, Ok(()));
            assert_eq!(*crate::sync::lock(&started), 0b111);
        },
    );
}

#[test]
fn a_worker_joining_an_input_held_alone_runs_each_item_once() {
    static SITE: LoopSite = LoopSite::new();
    explore(
        "a shared iterator held alone by one worker while the other joins, with a failure",
        || {
            // Batches reach their largest size (2 under loom) after one claim; a worker
            // alone then holds the input, and lets go when the other joins.
            let seen = AtomicUsize::new(0);
            let created = AtomicUsize::new(0);
            let dropped = AtomicUsize::new(0);
            let result = drive_shared(
                (0..6usize).map(|i| {
                    created.fetch_add(1, SeqCst);
                    Item(i, &dropped)
                }),
                2,
                Site::Loop(&SITE),
                &ForEach(&|item: Item<'_>| {
                    let bit = 1 << item.0;
                    let before = seen.fetch_or(bit, SeqCst);
                    assert_eq!(before & bit, 0, "item {} ran twice", item.0);
                    if item.0 == 4 {
                        return Err(item.0);
                    }
                    Ok(())
                }),
            );
            assert_eq!(result, Err(4));
            assert_eq!(
                dropped.load(SeqCst),
                created.load(SeqCst),
                "every item pulled was dropped once"
            );
        },
    );
}

#[test]
fn the_calling_thread_sees_its_loop_cancelled() {
    static SITE: LoopSite = LoopSite::new();
    explore_bounded("the caller is a worker and sees cancelled()", 2, || {
        let caller = loom::thread::current().id();
        let caller_saw_cancel = AtomicUsize::new(0);
        let caller_started = AtomicUsize::new(0);
        let result = drive_indexed(
            0..2usize,
            2,
            Site::Loop(&SITE),
            &ForEach(&|i: usize| {
                if loom::thread::current().id() != caller {
                    // Fails once the caller runs the other item: indices are claimed one
                    // at a time, so the caller gets one.
                    while caller_started.load(SeqCst) == 0 {
                        loom::thread::yield_now();
                    }
                    return Err(i);
                }
                caller_started.fetch_add(1, SeqCst);
                while !cancelled() {
                    loom::thread::yield_now();
                }
                caller_saw_cancel.fetch_add(1, SeqCst);
                Ok(())
            }),
        );
        assert!(result.is_err());
        assert_eq!(caller_saw_cancel.load(SeqCst), 1, "the caller ran one item");
    });
}

/// A recursive walk of a binary tree of depth `depth`, one iteration per child.
fn walk(
    depth: usize,
    in_flight: &AtomicUsize,
    most: &AtomicUsize,
    workers: usize,
) -> Result<(), ()> {
    static SITE: LoopSite = LoopSite::new();
    drive_indexed(
        0..2usize,
        workers,
        Site::Loop(&SITE),
        &ForEach(&|_| {
            let now = in_flight.fetch_add(1, SeqCst) + 1;
            most.fetch_max(now, SeqCst);
            let result = if depth > 1 {
                in_flight.fetch_sub(1, SeqCst);
                let inner = walk(depth - 1, in_flight, most, workers);
                in_flight.fetch_add(1, SeqCst);
                inner
            } else {
                Ok(())
            };
            in_flight.fetch_sub(1, SeqCst);
            result
        }),
    )
}

#[test]
fn a_recursion_with_one_worker_is_worked_by_its_waiting_owner() {
    explore_bounded(
        "recursion, 1 worker: the owner works its inner run",
        1,
        || {
            let (in_flight, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            assert_eq!(walk(2, &in_flight, &most, 1), Ok(()));
            assert_eq!(most.load(SeqCst), 1);
        },
    );
}

#[test]
fn a_recursion_shares_its_outer_runs_limit() {
    explore_bounded(
        "recursion, 2 workers: one limit, helping waiters",
        2,
        || {
            let (in_flight, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            assert_eq!(walk(2, &in_flight, &most, 2), Ok(()));
            assert!(
                most.load(SeqCst) <= 2,
                "{} leaves at once",
                most.load(SeqCst)
            );
        },
    );
}

/// The exit of a loop in the stop models: an iteration's failure, or the stop.
#[derive(Debug, PartialEq)]
enum Exit {
    Failed(usize),
    Stopped,
}

impl From<crate::Stopped> for Exit {
    fn from(_: crate::Stopped) -> Exit {
        Exit::Stopped
    }
}

#[test]
fn a_stop_racing_a_failure_ends_the_loop_exactly_once() {
    explore_bounded("a stop races a failure", 1, || {
        let token = crate::StopToken::new();
        let stopper = {
            let token = token.clone();
            loom::thread::spawn(move || token.stop())
        };
        let ran = AtomicUsize::new(0);
        // One pool thread runs the items (the caller-fed path) while the caller waits: the
        // stop races the failure's recording, and either may come first.
        let result = Loop::new(1).stop(&token).try_for_each(0..2usize, |i| {
            ran.fetch_add(1, SeqCst);
            if i == 0 {
                return Err(Exit::Failed(i));
            }
            Ok(())
        });
        stopper.join().unwrap();
        // Item 0 always fails: the loop ends with its failure, or with the stop if that was
        // recorded first (then the failure, if item 0 ran, was dropped).
        match result {
            Err(Exit::Failed(0)) => assert!(ran.load(SeqCst) >= 1),
            Err(Exit::Stopped) => {}
            other => panic!("not one exit: {other:?}"),
        }
    });
}

#[test]
fn a_stop_reaches_a_running_worker_and_wakes_its_sleeping_owner() {
    explore_bounded("a stop while the owner sleeps and a worker runs", 1, || {
        let token = crate::StopToken::new();
        let running = AtomicUsize::new(0);
        let stopper = {
            let token = token.clone();
            loom::thread::spawn(move || token.stop())
        };
        // The caller-fed path: the owner only waits (asleep on the group's signal), and one
        // pool thread runs the one item, which ends only when it sees the stop: a lost stop
        // or wake-up would leave the model deadlocked.
        let result = Loop::new(1).stop(&token).try_for_each(0..1usize, |_| {
            running.fetch_add(1, SeqCst);
            while !cancelled() {
                loom::thread::yield_now();
            }
            Ok::<(), Exit>(())
        });
        stopper.join().unwrap();
        assert_eq!(result, Err(Exit::Stopped));
        assert!(running.load(SeqCst) <= 1);
    });
}

#[test]
fn a_stop_racing_the_last_iterations_finish_ends_the_loop_once() {
    explore_bounded("a stop races the last iteration's finish", 1, || {
        let token = crate::StopToken::new();
        let returned = std::sync::Arc::new(AtomicUsize::new(0));
        let stopper = {
            let (token, returned) = (token.clone(), std::sync::Arc::clone(&returned));
            loom::thread::spawn(move || {
                // After the only iteration's body, as the pool thread leaves the run and wakes
                // the owner (which settles the run, in `Group::leave` or at its `Done`).
                while returned.load(SeqCst) == 0 {
                    loom::thread::yield_now();
                }
                token.stop();
            })
        };
        let result = Loop::new(1).stop(&token).try_for_each(0..1usize, |_| {
            returned.store(1, SeqCst);
            Ok::<(), Exit>(())
        });
        stopper.join().unwrap();
        // The body has always run: the stop came after it returned, while its worker left.
        // Either the run was settled first (success) or the stop was recorded first, and
        // either way the owner returned: no wake-up was lost to the settling.
        assert_eq!(returned.load(SeqCst), 1);
        assert!(matches!(result, Ok(()) | Err(Exit::Stopped)), "{result:?}");
    });
}

/// The task awaiting an async loop, as a loom thread: its waker wakes the thread's wait.
#[derive(Default)]
struct Task {
    woken: crate::sync::Mutex<bool>,
    changed: crate::sync::Condvar,
}

impl Task {
    /// Blocks until the task was woken since the last call.
    fn sleep(&self) {
        let mut woken = crate::sync::lock(&self.woken);
        while !*woken {
            woken = crate::sync::wait(&self.changed, woken);
        }
        *woken = false;
    }
}

impl std::task::Wake for Task {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        *crate::sync::lock(&self.woken) = true;
        self.changed.notify_one();
    }
}

/// An async loop's slot woken twice from other threads while the loop polls it, the second
/// waker setting a plain `Relaxed` flag before `wake()`: the iteration must see its flag at
/// a poll, or the loop never returns (loom reports the deadlock: the task sleeps for good).
/// The model runs `crate::future`'s own driver, slot wakers and list; only the task's
/// `AtomicWaker` is a loom-visible stand-in (see `future.rs`).
#[test]
fn two_wakes_of_one_async_slot_racing_its_poll_are_never_lost() {
    use crate::sync::{AtomicBool, Ordering};
    use std::future::Future;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    explore_bounded("two wakes of one async slot race its poll", 2, || {
        let flag = Arc::new(AtomicBool::new(false));
        let slot_waker: Mutex<Option<Waker>> = Mutex::new(None);
        let iteration = || {
            std::future::poll_fn(|cx| {
                if flag.load(Ordering::Relaxed) {
                    return Poll::Ready(Ok::<(), ()>(()));
                }
                *slot_waker.lock().unwrap() = Some(cx.waker().clone());
                Poll::Pending
            })
        };
        let mut looping = Box::pin(crate::future::try_for_each(0..1, 1, async |_| {
            iteration().await
        }));
        let task = Arc::new(Task::default());
        let waker = Waker::from(Arc::clone(&task));
        let mut cx = Context::from_waker(&waker);
        assert!(looping.as_mut().poll(&mut cx).is_pending());
        let slot = slot_waker
            .lock()
            .unwrap()
            .take()
            .expect("the iteration's waker");
        let first = {
            let slot = slot.clone();
            loom::thread::spawn(move || slot.wake())
        };
        let second = {
            let flag = Arc::clone(&flag);
            loom::thread::spawn(move || {
                flag.store(true, Ordering::Relaxed);
                slot.wake();
            })
        };
        loop {
            if let Poll::Ready(result) = looping.as_mut().poll(&mut cx) {
                assert_eq!(result, Ok(()));
                break;
            }
            task.sleep();
        }
        first.join().unwrap();
        second.join().unwrap();
    });
}

/// A slot reused by a second iteration while a stale waker of the first (kept by another
/// thread) wakes it, and the second's own waker, after a plain `Relaxed` flag, wakes it from a
/// third thread: the second iteration's first poll does not clear `queued` (nobody has its
/// waker yet), so the stale wake may find it set or set it anywhere around that poll, and the
/// real wake must still reach a poll that sees the flag, or the loop never returns.
#[test]
fn a_stale_wake_of_a_reused_async_slot_never_hides_the_new_iterations_wake() {
    use crate::sync::{AtomicBool, Ordering};
    use std::future::Future;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    explore_bounded("a stale wake of a reused async slot", 2, || {
        let flag = Arc::new(AtomicBool::new(false));
        let stale: Mutex<Option<Waker>> = Mutex::new(None);
        let fresh: Mutex<Option<Waker>> = Mutex::new(None);
        // One worker: the second item runs in the first one's slot, with the same waker.
        let mut looping = Box::pin(crate::future::try_for_each(0..2, 1, async |item| {
            let mut polled = false;
            std::future::poll_fn(|cx| {
                if item == 0 {
                    if polled {
                        return Poll::Ready(Ok::<(), ()>(()));
                    }
                    polled = true;
                    *stale.lock().unwrap() = Some(cx.waker().clone());
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                if flag.load(Ordering::Relaxed) {
                    return Poll::Ready(Ok(()));
                }
                *fresh.lock().unwrap() = Some(cx.waker().clone());
                Poll::Pending
            })
            .await
        }));
        let task = Arc::new(Task::default());
        let waker = Waker::from(Arc::clone(&task));
        let mut cx = Context::from_waker(&waker);
        assert!(looping.as_mut().poll(&mut cx).is_pending());
        let stale = stale
            .lock()
            .unwrap()
            .take()
            .expect("the first iteration's waker");
        let late = loom::thread::spawn(move || stale.wake());
        // Finishes the first iteration and polls the second for the first time, racing the
        // stale wake.
        task.sleep();
        assert!(looping.as_mut().poll(&mut cx).is_pending());
        let own = fresh
            .lock()
            .unwrap()
            .take()
            .expect("the second iteration's waker");
        let woken = {
            let flag = Arc::clone(&flag);
            loom::thread::spawn(move || {
                flag.store(true, Ordering::Relaxed);
                own.wake();
            })
        };
        loop {
            if let Poll::Ready(result) = looping.as_mut().poll(&mut cx) {
                assert_eq!(result, Ok(()));
                break;
            }
            task.sleep();
        }
        late.join().unwrap();
        woken.join().unwrap();
    });
}

/// [`walk`] over a lazy `Send` input, which a worker may hold alone (batches reach their
/// largest size, 2 under loom, after one claim) when one of its items recurses: the inner
/// run's owner may then be the holder of the outer input, further up its stack.
fn walk_shared(depth: usize, ran: &AtomicUsize) -> Result<(), ()> {
    static SITE: LoopSite = LoopSite::new();
    drive_shared(
        0..3usize,
        2,
        Site::Loop(&SITE),
        &ForEach(&|_| {
            ran.fetch_add(1, SeqCst);
            if depth > 1 {
                walk_shared(depth - 1, ran)?;
            }
            Ok(())
        }),
    )
}

#[test]
fn a_recursion_reached_from_an_input_held_alone_finishes() {
    explore_bounded(
        "recursion from a held input: no owner waits on itself",
        1,
        || {
            let ran = AtomicUsize::new(0);
            assert_eq!(walk_shared(2, &ran), Ok(()));
            assert_eq!(ran.load(SeqCst), 3 + 3 * 3, "every item of every run once");
        },
    );
}

#[test]
fn a_deep_loop_sees_an_outer_cancellation_made_while_it_checks() {
    use crate::cancel::{enter, Token};
    explore("a token chain's counted check", || {
        let root = Token::for_new_loop(None);
        let middle = {
            let _inside = enter(&root);
            Token::for_new_loop(None)
        };
        let deepest = {
            let _inside = enter(&middle);
            Token::for_new_loop(None)
        };
        // A loop of another branch ended: the tree's count moved, and the next check walks.
        let sibling = {
            let _inside = enter(&root);
            Token::for_new_loop(None)
        };
        assert!(sibling.end());
        let ender = {
            let root = crate::sync::Arc::clone(&root);
            loom::thread::spawn(move || assert!(root.end()))
        };
        // Either answer, while the end races the check (and its walk, and its note of the
        // count): but never a note that hides the end from the next check.
        let _ = deepest.is_cancelled();
        ender.join().unwrap();
        assert!(deepest.is_cancelled());
        assert!(middle.is_cancelled());
    });
}
