//! A stop that comes after a loop's last iteration has finished and its input is exhausted
//! changes nothing, also in the moment before the loop's owner has noticed: the loop
//! succeeds. The runtime's test-only hook stops the token at exactly that moment.
mod common;

use common::Path;
use failfast_runtime::fault::on_finished;
use failfast_runtime::{Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};

/// The hook is process-wide: one test at a time sets it.
fn hook() -> MutexGuard<'static, ()> {
    static HOOK: Mutex<()> = Mutex::new(());
    HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Clears the hook when dropped, also if the test fails.
struct Unhook;

impl Drop for Unhook {
    fn drop(&mut self) {
        on_finished(None);
    }
}

#[test]
fn a_stop_between_the_last_iteration_and_the_owner_returning_changes_nothing() {
    let _hook = hook();
    let _unhook = Unhook;
    for path in Path::ALL {
        for workers in [1, 2, 4] {
            for items in [0, 1, 50] {
                let token = StopToken::new();
                let stops = Arc::new(AtomicUsize::new(0));
                on_finished(Some(Box::new({
                    let (token, stops) = (token.clone(), Arc::clone(&stops));
                    move || {
                        stops.fetch_add(1, SeqCst);
                        token.stop();
                    }
                })));
                let ran = AtomicUsize::new(0);
                let result: Result<(), Stopped> =
                    path.try_for_each_with(0..items, Loop::new(workers).stop(&token), |_| {
                        ran.fetch_add(1, SeqCst);
                        Ok(())
                    });
                on_finished(None);
                let what = format!("{path:?}, {workers} workers, {items} items");
                assert_eq!(stops.load(SeqCst), 1, "{what}: the loop finished once");
                assert!(token.is_stopped(), "{what}");
                assert_eq!(ran.load(SeqCst), items, "{what}");
                assert_eq!(result, Ok(()), "{what}: stopped after it had finished");
            }
        }
    }
}

/// What unwinds where the owner settles its finished run (here the hook; in a program, nothing
/// of the user's runs there) reaches the caller: the run is off its group's list by then, and
/// nothing may look for it while unwinding (that once aborted the process: "panic in a
/// destructor during cleanup").
#[test]
fn a_panic_as_the_owner_settles_the_run_unwinds_to_the_caller() {
    let _hook = hook();
    let _unhook = Unhook;
    let caller = std::thread::current().id();
    for path in Path::ALL {
        for workers in [1, 2] {
            // Only where the owner settles: a pool thread that finds a lazy input's end settles
            // the run itself, and then nothing unwinds here; that try is run again.
            on_finished(Some(Box::new(move || {
                if std::thread::current().id() == caller {
                    panic!("in the hook");
                }
            })));
            let unwound = (0..100).find_map(|_| {
                std::panic::catch_unwind(|| {
                    path.try_for_each(0..0u32, workers, |_| Ok::<(), ()>(()))
                })
                .err()
            });
            on_finished(None);
            let payload = unwound
                .expect("the owner settled one of 100 runs, and its panic reached the caller");
            assert_eq!(
                payload.downcast_ref::<&str>(),
                Some(&"in the hook"),
                "{path:?}"
            );
            // The runtime is usable afterwards.
            assert_eq!(
                path.try_for_each(0..10u32, workers, |_| Ok::<(), ()>(())),
                Ok(())
            );
        }
    }
}

/// Async loops: the stop comes from a `Drop` that the driver runs right after the loop's end
/// became certain (the last iteration's future, dropped once it returned `Ready`; or the
/// input, dropped once it returned its end), before the loop's future has returned.
mod async_loops {
    use failfast_runtime::future::Loop;
    use failfast_runtime::{StopToken, Stopped};
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    fn poll_to_end<F: Future>(future: F) -> F::Output {
        super::common::poll_to_end(future, 100).expect("its iterations wake at once")
    }

    /// An iteration that yields once, then finishes; dropped finished, it stops the token.
    struct StopsWhenDropped<'a> {
        token: &'a StopToken,
        yielded: bool,
        finished: bool,
    }

    impl Future for StopsWhenDropped<'_> {
        type Output = Result<(), Stopped>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            if !self.yielded {
                self.yielded = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.finished = true;
            Poll::Ready(Ok(()))
        }
    }

    impl Drop for StopsWhenDropped<'_> {
        fn drop(&mut self) {
            if self.finished {
                self.token.stop();
            }
        }
    }

    #[test]
    fn a_stop_as_the_last_iteration_is_dropped_changes_nothing() {
        for input in ["iterator", "stream"] {
            let token = StopToken::new();
            let iteration = |_| StopsWhenDropped {
                token: &token,
                yielded: false,
                finished: false,
            };
            let looping = Loop::new(2).stop(&token);
            let result = match input {
                "iterator" => poll_to_end(looping.try_for_each([0], iteration)),
                _ => {
                    poll_to_end(looping.try_for_each_stream(futures::stream::iter([0]), iteration))
                }
            };
            assert!(token.is_stopped());
            assert_eq!(
                result,
                Ok(()),
                "{input}: a stop after the end changed the outcome"
            );
        }
    }

    /// An input whose `Drop` stops the token.
    struct StopsWhenDroppedInput<'a> {
        token: &'a StopToken,
        left: u32,
    }

    impl Iterator for StopsWhenDroppedInput<'_> {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            self.left = self.left.checked_sub(1)?;
            Some(self.left)
        }
    }

    impl Drop for StopsWhenDroppedInput<'_> {
        fn drop(&mut self) {
            self.token.stop();
        }
    }

    #[test]
    fn a_stop_as_the_exhausted_input_is_dropped_changes_nothing() {
        for input in ["iterator", "stream"] {
            let token = StopToken::new();
            let items = StopsWhenDroppedInput {
                token: &token,
                left: 2,
            };
            let looping = Loop::new(2).stop(&token);
            let result: Result<(), Stopped> = match input {
                "iterator" => poll_to_end(looping.try_for_each(items, async |_| Ok(()))),
                _ => poll_to_end(
                    looping.try_for_each_stream(futures::stream::iter(items), async |_| Ok(())),
                ),
            };
            assert!(token.is_stopped());
            assert_eq!(
                result,
                Ok(()),
                "{input}: a stop after the end changed the outcome"
            );
        }
    }
}
