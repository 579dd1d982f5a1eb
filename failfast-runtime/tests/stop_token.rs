//! A `StopToken` stops a running loop from outside, on every input path; a token stopped before
//! the loop starts runs nothing; a stop after the loop finished changes nothing; child tokens.
mod common;

use common::{scaled, until_cancelled, Gate, Path, HANG};
use failfast_runtime::{Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Mutex;
use std::thread;
use std::time::Instant;

#[test]
fn a_token_stopped_from_another_thread_stops_the_loop_on_every_path() {
    for path in Path::ALL {
        let workers = 4;
        let token = StopToken::new();
        let started = AtomicUsize::new(0);
        let first = Gate::default();
        let begin = Instant::now();
        let result: Result<(), Stopped> = std::thread::scope(|s| {
            s.spawn(|| {
                first.wait();
                token.stop();
            });
            path.try_for_each_with(0..scaled(100_000), Loop::new(workers).stop(&token), |_| {
                started.fetch_add(1, SeqCst);
                first.open();
                // Only the stop ends an iteration.
                until_cancelled();
                Ok(())
            })
        });
        assert_eq!(result, Err(Stopped::by_token()), "{path:?}");
        assert!(!result.unwrap_err().timed_out());
        // `workers` ran until the stop; at most `workers - 1` more were starting as it came.
        let started = started.into_inner();
        assert!(
            started < 2 * workers,
            "{path:?}: {started} iterations started"
        );
        assert!(begin.elapsed() < HANG);
    }
}

#[test]
fn a_token_stopped_before_the_loop_starts_pulls_and_runs_nothing() {
    for path in Path::ALL {
        let token = StopToken::new();
        token.stop();
        let pulled = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let input = (0..100).inspect(|_| {
            pulled.fetch_add(1, SeqCst);
        });
        // The indexed path collects its input before the loop starts: count only the others.
        let result: Result<(), Stopped> =
            path.try_for_each_with(input, Loop::new(3).stop(&token), |_| {
                ran.fetch_add(1, SeqCst);
                Ok(())
            });
        assert_eq!(result, Err(Stopped::by_token()), "{path:?}");
        assert_eq!(ran.into_inner(), 0, "{path:?}: an iteration ran");
        if path != Path::Indexed {
            assert_eq!(pulled.into_inner(), 0, "{path:?}: an item was pulled");
        }
    }
}

#[test]
fn a_stop_after_the_loop_finished_changes_nothing() {
    for path in Path::ALL {
        let token = StopToken::new();
        let ran = AtomicUsize::new(0);
        let result: Result<(), Stopped> =
            path.try_for_each_with(0..50, Loop::new(4).stop(&token), |_| {
                ran.fetch_add(1, SeqCst);
                Ok(())
            });
        token.stop();
        assert_eq!(result, Ok(()), "{path:?}");
        assert_eq!(ran.into_inner(), 50);
    }
}

#[test]
fn a_stop_from_inside_an_iteration_stops_the_loop() {
    let token = StopToken::new();
    let ran = AtomicUsize::new(0);
    let before = AtomicUsize::new(0);
    let result = Loop::new(2).stop(&token).try_for_each(0.., |i| {
        ran.fetch_add(1, SeqCst);
        if i < 10 {
            before.fetch_add(1, SeqCst);
        }
        if i == 10 {
            // The items before this one were taken before it, but may still wait in a hand
            // (items of a loop start in no set order): the other worker runs them first, so
            // that the count below tells that only the stop ended the loop.
            let waited = Instant::now();
            while before.load(SeqCst) < 10 && waited.elapsed() < HANG {
                thread::yield_now();
            }
            token.stop();
        }
        Ok::<(), Stopped>(())
    });
    assert_eq!(result, Err(Stopped::by_token()));
    // The input is endless: only the stop ended the loop.
    assert!(ran.into_inner() >= 11);
}

/// An endless loop with `token`, and `stopper` stopped from another thread once an iteration
/// runs: how the loop ends.
fn stopped_while_running(token: &StopToken, stopper: &StopToken) -> Result<(), Stopped> {
    let first = Gate::default();
    std::thread::scope(|s| {
        s.spawn(|| {
            first.wait();
            stopper.stop();
        });
        Loop::new(2).stop(token).try_for_each(0.., |_| {
            first.open();
            until_cancelled();
            Ok(())
        })
    })
}

#[test]
fn a_child_token_stops_with_its_parent_and_alone() {
    let parent = StopToken::new();
    let child = parent.child();
    let grandchild = child.child();
    assert_eq!(
        stopped_while_running(&grandchild, &parent),
        Err(Stopped::by_token())
    );
    assert!(child.is_stopped() && grandchild.is_stopped());

    // A child stopped alone stops its loops, not its parent's.
    let parent = StopToken::new();
    let child = parent.child();
    child.stop();
    assert!(!parent.is_stopped());
    let on_child: Result<(), Stopped> = Loop::new(2).stop(&child).try_for_each(0..10, |_| Ok(()));
    assert_eq!(on_child, Err(Stopped::by_token()));
    let on_parent: Result<(), Stopped> = Loop::new(2).stop(&parent).try_for_each(0..10, |_| Ok(()));
    assert_eq!(on_parent, Ok(()));
    // A child made from a stopped token is stopped.
    parent.stop();
    assert!(parent.child().is_stopped());
}

/// A chain of child tokens as deep as a program makes (one per level of a deep recursion):
/// stopping its root reaches the leaf and a loop running with it, on a thread with the
/// default 2 MiB stack, where stopping each child from its parent's stop overflowed it (a
/// runtime probe: at depth 60,000).
#[test]
fn stopping_the_root_of_a_deep_chain_of_children_reaches_the_leaf() {
    let depth = if common::slowed() { 200 } else { 200_000 };
    let root = StopToken::new();
    let mut chain = vec![root.child()];
    for _ in 1..depth {
        let next = chain.last().expect("not empty").child();
        chain.push(next);
    }
    let leaf = chain.last().expect("not empty").clone();
    assert_eq!(
        stopped_while_running(&leaf, &root),
        Err(Stopped::by_token())
    );
    assert!(chain.iter().all(StopToken::is_stopped));
    // Dropped leaf first, as a recursion unwinds.
    while chain.pop().is_some() {}
}

#[test]
fn clones_share_one_state_and_the_token_is_debug_default_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>(_: &T) {}
    let token = StopToken::default();
    send_sync(&token);
    let clone = token.clone();
    assert_eq!(format!("{token:?}"), "StopToken { stopped: false }");
    clone.stop();
    clone.stop();
    assert!(token.is_stopped());
    assert_eq!(format!("{token:?}"), "StopToken { stopped: true }");
}

#[test]
fn one_token_stops_several_loops_running_at_once() {
    let token = StopToken::new();
    let running = AtomicUsize::new(0);
    let all_running = Gate::default();
    std::thread::scope(|s| {
        let loops: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    Loop::new(2).stop(&token).try_for_each(0.., |_| {
                        if running.fetch_add(1, SeqCst) + 1 == 3 {
                            all_running.open();
                        }
                        until_cancelled();
                        Ok::<(), Stopped>(())
                    })
                })
            })
            .collect();
        all_running.wait();
        token.stop();
        for handle in loops {
            assert_eq!(handle.join().unwrap(), Err(Stopped::by_token()));
        }
    });
}

#[test]
fn a_lazy_input_held_alone_by_one_worker_starts_at_most_workers_minus_one_after_the_stop() {
    // Items of nanoseconds: a worker holds the shared input alone and runs it like the
    // sequential loop (see `held_alone.rs`); a stop must still end it at once. An item that
    // sees `cancelled()` as it begins started after the stop: the contract lets at most
    // `workers - 1` do so. With up to 4 workers the holder reads the stop before each item,
    // so those are the items already starting on other threads as the stop came: one on
    // each other thread at most, and none on the thread that stopped (it stopped from an
    // item, so it was starting none). With more, the holder reads it before every few items
    // and may use the allowance itself; a holder that read it only between its stretches of
    // 32 items, or not at all, would start more.
    // The stop comes from a thread that has just run `HELD` items in a row, which a worker
    // taking batches of at most 64 does only while it holds the input (or after `LAST` items,
    // if none ever does), and many times, so that every place of the stop among the holder's
    // reads is met.
    let (counts, stops): (&[usize], usize) = if common::slowed() {
        (&[1, 2, 4], 1)
    } else {
        (&[1, 2, 3, 4, 5, 8, 9], 8)
    };
    let held = scaled(5_000) as u64;
    // Under Miri, where a run of 50 items in a row need not mean a held input, the thread
    // loop's general bound is what is checked, after 1,000 items at most: each costs the
    // interpreter milliseconds.
    let last = if common::slowed() { 1_000 } else { 2_000_000 };
    thread_local! {
        /// The last item this thread ran, and how many it ran in a row before it.
        static IN_A_ROW: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
    }
    for &workers in counts {
        for _ in 0..stops {
            let token = StopToken::new();
            let stopper = Mutex::new(None);
            let late = Mutex::new(Vec::new());
            let result: Result<(), Stopped> =
                Path::Shared.try_for_each_with(0..u64::MAX, Loop::new(workers).stop(&token), |i| {
                    if failfast_runtime::cancelled() {
                        let mut late = late.lock().unwrap();
                        late.push(thread::current().id());
                        // Fails at once rather than running to the end of the input.
                        assert!(
                            late.len() < workers,
                            "{workers} workers: {} items started after the stop",
                            late.len()
                        );
                    }
                    let (before, count) = IN_A_ROW.get();
                    let count = if i == before + 1 { count + 1 } else { 1 };
                    IN_A_ROW.set((i, count));
                    if (count == held || i == last) && !token.is_stopped() {
                        *stopper.lock().unwrap() = Some((thread::current().id(), i));
                        token.stop();
                    }
                    Ok(())
                });
            assert_eq!(result, Err(Stopped::by_token()));
            let (stopper, at) = stopper
                .into_inner()
                .unwrap()
                .expect("the item that stops ran");
            let late = late.into_inner().unwrap();
            let what = format!("{workers} workers, stop at {at}: started after it on {late:?}");
            assert!(late.len() < workers, "{what}");
            if workers <= 4 {
                assert!(
                    !late.contains(&stopper),
                    "{what}, the stopping thread {stopper:?}"
                );
                let mut threads = late.clone();
                threads.sort_unstable_by_key(|id| format!("{id:?}"));
                threads.dedup();
                assert_eq!(threads.len(), late.len(), "{what}: two on one thread");
            }
        }
    }
}

#[test]
fn a_stop_from_another_thread_while_one_worker_holds_the_input_starts_at_most_workers_minus_one() {
    // As above, but stopped by a thread that runs no item, at any moment of a holder's
    // stretch: a holder that reads the stop before every few items may start as many after
    // it as it runs between two reads, which must stay below `workers`. The stop lands just
    // after a read in about one trial of those few, so each count runs many trials. Which
    // worker holds may change between the first long run of items and the stop, and any
    // other worker may be starting one item as the stop comes, as after any stop from
    // outside; but at most one holds as it comes, and none starts holding after it.
    let (counts, trials): (&[usize], usize) = if common::slowed() {
        (&[2], 1)
    } else {
        (&[2, 4, 5, 8], 40)
    };
    let held = scaled(5_000) as u64;
    for &workers in counts {
        for _ in 0..trials {
            let token = StopToken::new();
            let holding = std::sync::atomic::AtomicBool::new(false);
            let late = Mutex::new(Vec::new());
            // The last item each thread ran, and how many it ran in a row, for this trial
            // only (pool threads outlive it).
            let in_a_row = Mutex::new(std::collections::HashMap::new());
            let result: Result<(), Stopped> = thread::scope(|scope| {
                let stopper = scope.spawn(|| {
                    // A worker holds within microseconds in a plain build; under a sanitizer,
                    // where every item is slow, none may: the stop then comes anyway, and the
                    // bounds below are those of any stop from outside.
                    let deadline = Instant::now() + std::time::Duration::from_millis(200);
                    while !holding.load(SeqCst) && Instant::now() < deadline {
                        std::hint::spin_loop();
                    }
                    token.stop();
                });
                let result = Path::Shared.try_for_each_with(
                    0..u64::MAX,
                    Loop::new(workers).stop(&token),
                    |i| {
                        let me = thread::current().id();
                        if failfast_runtime::cancelled() {
                            let mut late = late.lock().unwrap();
                            late.push(me);
                            // Fails at once rather than running to the end of the input.
                            assert!(
                                late.iter().filter(|&&id| id == me).count() < workers,
                                "{workers} workers: {late:?} started after the stop"
                            );
                        }
                        if !holding.load(SeqCst) {
                            let mut in_a_row = in_a_row.lock().unwrap();
                            let (before, count) = in_a_row.get(&me).copied().unwrap_or((0, 0));
                            let count = if count > 0 && i == before + 1 {
                                count + 1
                            } else {
                                1
                            };
                            in_a_row.insert(me, (i, count));
                            // Under Miri, whose clock runs with the interpreter, a run of
                            // items in a row need not come before the stopper gives up: any
                            // item past the first hundred stops the loop there.
                            if count == held || cfg!(miri) && i >= 100 {
                                holding.store(true, SeqCst);
                            }
                        }
                        Ok(())
                    },
                );
                stopper.join().unwrap();
                result
            });
            assert_eq!(result, Err(Stopped::by_token()));
            let late = late.into_inner().unwrap();
            let mut counts = std::collections::HashMap::new();
            for &thread in &late {
                *counts.entry(thread).or_insert(0) += 1;
            }
            let what = format!("{workers} workers: started after the stop on {late:?}");
            assert!(counts.values().all(|&n| n < workers), "{what}");
            assert!(
                counts.values().filter(|&&n| n > 1).count() <= 1,
                "{what}: more than one thread started several"
            );
        }
    }
}

/// A waker that blocks in `wake` until `gate` opens (an executor's waker that takes a while),
/// or panics there (a broken one).
struct SlowWaker {
    woken: Gate,
    gate: Gate,
    panics: bool,
}

impl std::task::Wake for SlowWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.woken.open();
        if self.panics {
            panic!("the executor's waker panicked");
        }
        self.gate.wait();
    }
}

/// Polls `pending` once with `waker`: an async loop lists its task's waker in its token then,
/// before anything listed after it.
fn poll_once<F: std::future::Future>(
    pending: std::pin::Pin<&mut F>,
    waker: &std::sync::Arc<SlowWaker>,
) {
    let waker = std::task::Waker::from(std::sync::Arc::clone(waker));
    let mut cx = std::task::Context::from_waker(&waker);
    assert!(pending.poll(&mut cx).is_pending());
}

#[test]
fn a_grandchild_is_stopped_with_its_grandparent_when_the_middle_token_is_gone() {
    let server = StopToken::new();
    // The middle token is a temporary, dropped at the end of the statement.
    let request = server.child().child();
    server.stop();
    assert!(
        request.is_stopped(),
        "the stop did not reach the grandchild"
    );
    let result: Result<(), Stopped> = Loop::new(2).stop(&request).try_for_each(0..10, |_| Ok(()));
    assert_eq!(result, Err(Stopped::by_token()));
}

#[test]
fn a_panicking_waker_does_not_keep_the_other_loops_from_being_stopped() {
    let token = StopToken::new();
    let broken = std::sync::Arc::new(SlowWaker {
        woken: Gate::default(),
        gate: Gate::default(),
        panics: true,
    });
    // Listed first: the stop reaches it before the thread loop below.
    let async_loop = failfast_runtime::future::Loop::new(1).stop(&token);
    let mut pending = std::pin::pin!(
        async_loop.try_for_each([()], |()| std::future::pending::<Result<(), Stopped>>())
    );
    poll_once(pending.as_mut(), &broken);
    let running = Gate::default();
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            running.wait();
            let stopped = std::panic::catch_unwind(|| token.stop());
            assert!(stopped.is_err(), "the waker's panic goes on to the stopper");
        });
        Loop::new(2).stop(&token).try_for_each(0.., |_| {
            running.open();
            until_cancelled();
            Ok(())
        })
    });
    assert_eq!(result, Err(Stopped::by_token()));
}

#[test]
fn a_failure_caused_by_a_visible_stop_loses_to_the_stop() {
    // The stopper is held up in the first waker of the token's list (an async loop's, whose
    // executor is slow to take the wake), so the thread loop's own waker, listed after it, is
    // not called yet; an iteration that sees the token stopped fails meanwhile. The loop must
    // return the stop, not that failure.
    let token = StopToken::new();
    let slow = std::sync::Arc::new(SlowWaker {
        woken: Gate::default(),
        gate: Gate::default(),
        panics: false,
    });
    let async_loop = failfast_runtime::future::Loop::new(1).stop(&token);
    let mut pending = std::pin::pin!(
        async_loop.try_for_each([()], |()| std::future::pending::<Result<(), Stopped>>())
    );
    poll_once(pending.as_mut(), &slow);
    let running = Gate::default();
    let result: Result<(), Ended> = std::thread::scope(|s| {
        s.spawn(|| {
            running.wait();
            token.stop();
        });
        let result = Loop::new(2).stop(&token).try_for_each(0.., |_| {
            running.open();
            let begin = Instant::now();
            while !token.is_stopped() {
                assert!(begin.elapsed() < HANG, "never stopped");
                std::thread::yield_now();
            }
            // What an iteration that checks the token itself does.
            Err(Ended::SawTheStop)
        });
        // The stopper is still in the slow waker: it is let go once the loop has returned.
        slow.woken.wait();
        slow.gate.open();
        result
    });
    assert_eq!(result, Err(Ended::Stopped(Stopped::by_token())));
}

/// A loop's error: its stop, or an iteration's failure.
#[derive(Debug, PartialEq)]
enum Ended {
    Stopped(Stopped),
    SawTheStop,
}

impl From<Stopped> for Ended {
    fn from(stopped: Stopped) -> Self {
        Ended::Stopped(stopped)
    }
}

/// An input whose `Drop` opens `dropping`, then waits for `gate`.
struct SlowToDrop<'a> {
    left: std::ops::Range<usize>,
    dropping: &'a Gate,
    gate: &'a Gate,
}

impl Iterator for SlowToDrop<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        self.left.next()
    }
}

impl Drop for SlowToDrop<'_> {
    fn drop(&mut self) {
        self.dropping.open();
        self.gate.wait();
    }
}

#[test]
fn a_stop_while_the_finished_loop_drops_its_input_changes_nothing() {
    let token = StopToken::new();
    let (dropping, gate) = (Gate::default(), Gate::default());
    let ran = AtomicUsize::new(0);
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            dropping.wait();
            token.stop();
            gate.open();
        });
        let input = SlowToDrop {
            left: 0..20,
            dropping: &dropping,
            gate: &gate,
        };
        // The caller-fed path: its owner drops the input once every iteration has finished.
        Loop::new(3).stop(&token).try_for_each(input, |_| {
            ran.fetch_add(1, SeqCst);
            Ok(())
        })
    });
    assert_eq!(ran.into_inner(), 20);
    assert_eq!(
        result,
        Ok(()),
        "every iteration had finished before the stop"
    );
}
