//! Async loops with a `StopToken`: the stop wakes the task awaiting the loop (nothing polls),
//! in-flight iterations are dropped at once, nothing more is pulled; first exit wins.
mod common;

use common::{Gate, HANG};
use failfast_runtime::future::Loop;
use failfast_runtime::{StopToken, Stopped};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

/// Runs `future` on this thread, parking between polls; fails if no wake-up comes within
/// [`HANG`] (a stop that did not wake the loop's task).
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread, AtomicBool);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.1.store(true, SeqCst);
            self.0.unpark();
        }
    }
    let unpark = Arc::new(Unpark(std::thread::current(), AtomicBool::new(false)));
    let waker = Waker::from(Arc::clone(&unpark));
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(&waker)) {
            return output;
        }
        let parked = Instant::now();
        while !unpark.1.swap(false, SeqCst) {
            assert!(parked.elapsed() < HANG, "the loop's task was never woken");
            std::thread::park_timeout(HANG);
        }
    }
}

/// Counts the iterations dropped before they finished.
struct DropCount<'a>(&'a AtomicUsize);

impl Drop for DropCount<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

#[test]
fn a_stop_from_another_thread_wakes_a_pending_loop_and_drops_its_iterations() {
    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    let dropped = AtomicUsize::new(0);
    let all_started = Gate::default();
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            all_started.wait();
            token.stop();
        });
        block_on(Loop::new(8).stop(&token).try_for_each(0.., async |_| {
            let _counted = DropCount(&dropped);
            if started.fetch_add(1, SeqCst) + 1 == 8 {
                all_started.open();
            }
            // Never resolves: only the stop ends the loop.
            std::future::pending::<()>().await;
            Ok(())
        }))
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(started.load(SeqCst), 8, "nothing pulled after the stop");
    assert_eq!(
        dropped.load(SeqCst),
        8,
        "every in-flight iteration was dropped"
    );
}

#[test]
fn a_stop_from_an_iteration_drops_the_others_at_once() {
    let token = StopToken::new();
    let dropped = AtomicUsize::new(0);
    let resumed = AtomicUsize::new(0);
    let result: Result<(), Stopped> =
        block_on(Loop::new(4).stop(&token).try_for_each(0.., async |i| {
            let _counted = DropCount(&dropped);
            if i == 3 {
                token.stop();
            }
            std::future::pending::<()>().await;
            resumed.fetch_add(1, SeqCst);
            Ok(())
        }));
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(dropped.into_inner(), 4);
    assert_eq!(resumed.into_inner(), 0);
}

#[test]
fn a_token_stopped_before_the_loop_starts_pulls_nothing() {
    let token = StopToken::new();
    token.stop();
    let pulled = AtomicUsize::new(0);
    let input = (0..10).inspect(|_| {
        pulled.fetch_add(1, SeqCst);
    });
    let result = block_on(
        Loop::new(2)
            .stop(&token)
            .try_for_each(input, async |_| Ok::<(), std::io::Error>(())),
    );
    assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    assert_eq!(pulled.into_inner(), 0);
}

#[test]
fn a_stop_after_the_loop_finished_changes_nothing() {
    let token = StopToken::new();
    let lengths = block_on(
        Loop::new(2)
            .stop(&token)
            .try_map(["a", "bb", "ccc"], async |s: &str| {
                Ok::<_, Stopped>(s.len())
            }),
    );
    token.stop();
    assert_eq!(lengths, Ok(vec![1, 2, 3]));
}

#[test]
fn first_exit_wins_in_an_async_loop() {
    // A failure before the stop.
    let token = StopToken::new();
    let result = block_on(Loop::new(2).stop(&token).try_for_each(0..10, async |i| {
        if i == 1 {
            return Err(std::io::Error::other("item 1"));
        }
        Ok(())
    }));
    token.stop();
    assert_eq!(result.unwrap_err().to_string(), "item 1");

    // A failure caused by the stop, seen by an iteration polled after it, is dropped.
    #[derive(Debug, PartialEq)]
    enum Error {
        SawStop,
        Stopped(Stopped),
    }
    impl From<Stopped> for Error {
        fn from(stopped: Stopped) -> Error {
            Error::Stopped(stopped)
        }
    }
    let token = StopToken::new();
    let result = block_on(Loop::new(2).stop(&token).try_for_each(0.., async |i| {
        if i == 5 {
            token.stop();
        }
        if token.is_stopped() {
            return Err(Error::SawStop);
        }
        Ok(())
    }));
    assert_eq!(result, Err(Error::Stopped(Stopped::by_token())));
}

#[test]
fn an_option_loop_returns_none() {
    let token = StopToken::new();
    let result = block_on(Loop::new(3).stop(&token).try_for_each(0.., async |i| {
        if i == 2 {
            token.stop();
            std::future::pending::<()>().await;
        }
        Some(())
    }));
    assert_eq!(result, None);
}

#[test]
fn a_stream_loop_is_stopped_from_another_thread_and_drops_its_stream() {
    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    let dropped = AtomicUsize::new(0);
    let all_started = Gate::default();
    // Three items, and a sender kept alive: once they run, the stream's poll is pending,
    // and only the stop ends the loop.
    let (tx, rx) = futures::channel::mpsc::unbounded();
    for job in 0..3 {
        tx.unbounded_send(job).unwrap();
    }
    let result: Result<(), Stopped> = std::thread::scope(|s| {
        s.spawn(|| {
            all_started.wait();
            token.stop();
        });
        block_on(
            Loop::new(8)
                .stop(&token)
                .try_for_each_stream(rx, async |_| {
                    let _counted = DropCount(&dropped);
                    if started.fetch_add(1, SeqCst) + 1 == 3 {
                        all_started.open();
                    }
                    std::future::pending::<()>().await;
                    Ok(())
                }),
        )
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(started.into_inner(), 3);
    assert_eq!(
        dropped.into_inner(),
        3,
        "every in-flight iteration was dropped"
    );
    assert!(
        tx.unbounded_send(3).is_err(),
        "the stream was not dropped with the stopped loop"
    );
}

#[test]
fn a_stopped_stream_loop_polls_nothing_more() {
    let token = StopToken::new();
    let polled = AtomicUsize::new(0);
    let resumed = AtomicUsize::new(0);
    let numbers = futures::stream::StreamExt::inspect(futures::stream::iter(0..), |_| {
        polled.fetch_add(1, SeqCst);
    });
    let result: std::io::Result<()> = block_on(Loop::new(4).stop(&token).try_for_each_stream(
        numbers,
        async |n| {
            // The fourth item fills the last slot, and stops the loop.
            if n == 3 {
                token.stop();
            }
            std::future::pending::<()>().await;
            resumed.fetch_add(1, SeqCst);
            Ok(())
        },
    ));
    assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    assert_eq!(
        polled.into_inner(),
        4,
        "the stream was polled after the stop"
    );
    assert_eq!(resumed.into_inner(), 0);
}

/// Pending once, woken at once.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
}

/// An iteration that stops the loop and then finishes frees its slot: the stream must not be
/// polled for it (its item would be taken and dropped; a channel's message lost). Every item
/// polled from the stream started an iteration, and none after the stopping one.
#[test]
fn a_stream_loop_stopped_by_an_iteration_that_finishes_polls_nothing_more() {
    for workers in [1, 3] {
        for yields in [false, true] {
            let token = StopToken::new();
            let polled = AtomicUsize::new(0);
            let started = AtomicUsize::new(0);
            let numbers = futures::stream::StreamExt::inspect(futures::stream::iter(0..), |_| {
                polled.fetch_add(1, SeqCst);
            });
            let result: std::io::Result<()> = block_on(
                Loop::new(workers)
                    .stop(&token)
                    .try_for_each_stream(numbers, async |n| {
                        started.fetch_add(1, SeqCst);
                        if yields {
                            yield_once().await;
                        }
                        if n == 0 {
                            token.stop();
                        }
                        Ok(())
                    }),
            );
            assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
            let started = started.into_inner();
            assert!(started <= workers, "{workers} workers: {started} started");
            assert_eq!(
                polled.into_inner(),
                started,
                "{workers} workers, yields {yields}: the stream was polled after the stop"
            );
        }
    }
}

/// A stop that comes while the last iterations run (here from the last one, after it waited
/// once) comes before the loop's end: the loop ends stopped, as a thread loop does, also when
/// its input was found exhausted before, for every entry point and whether the stopping
/// iteration is the last to finish or not.
#[test]
fn a_stop_from_the_last_running_iteration_stops_the_loop() {
    for workers in [1, 2, 4] {
        for items in [1, 3] {
            let stopping = items - 1;
            let body = |token: &StopToken, i: u32| {
                let token = token.clone();
                async move {
                    yield_once().await;
                    if i == stopping {
                        token.stop();
                    }
                    Ok::<u32, Stopped>(i)
                }
            };
            // The same iteration, for the entry points that take no value.
            let unit = |token: &StopToken, i: u32| {
                let step = body(token, i);
                async move { step.await.map(drop) }
            };
            let token = StopToken::new();
            let each = block_on(
                Loop::new(workers)
                    .stop(&token)
                    .try_for_each(0..items, |i| unit(&token, i)),
            );
            assert_eq!(
                each,
                Err(Stopped::by_token()),
                "try_for_each, {workers} workers, {items} items"
            );
            let token = StopToken::new();
            let map = block_on(
                Loop::new(workers)
                    .stop(&token)
                    .try_map(0..items, |i| body(&token, i)),
            );
            assert_eq!(
                map,
                Err(Stopped::by_token()),
                "try_map, {workers} workers, {items} items"
            );
            let token = StopToken::new();
            let stream = block_on(
                Loop::new(workers)
                    .stop(&token)
                    .try_for_each_stream(futures::stream::iter(0..items), |i| unit(&token, i)),
            );
            assert_eq!(
                stream,
                Err(Stopped::by_token()),
                "stream, {workers} workers, {items} items"
            );
        }
    }
}

#[test]
fn a_stream_map_with_a_stop_keeps_the_stream_order_or_stops() {
    let token = StopToken::new();
    let words = futures::stream::iter(["a", "bb", "ccc"]);
    let lengths = block_on(
        Loop::new(2)
            .stop(&token)
            .try_map_stream(words, async |s: &str| Ok::<_, Stopped>(s.len())),
    );
    assert_eq!(lengths, Ok(vec![1, 2, 3]));
    token.stop();
    let pulled = AtomicUsize::new(0);
    let words = futures::stream::StreamExt::inspect(futures::stream::iter(["a", "bb"]), |_| {
        pulled.fetch_add(1, SeqCst);
    });
    let stopped = block_on(
        Loop::new(2)
            .stop(&token)
            .try_map_stream(words, async |s: &str| Ok::<_, Stopped>(s.len())),
    );
    assert_eq!(stopped, Err(Stopped::by_token()));
    assert_eq!(pulled.into_inner(), 0, "a stopped loop polled its stream");
}

/// A loop's future is a value of its own, as any future: built from a temporary `Loop` in one
/// statement and awaited later (stored, raced, spawned), it does not borrow the builder.
#[test]
fn a_loops_future_outlives_the_builder_it_came_from() {
    let token = StopToken::new();
    let each = Loop::new(2)
        .stop(&token)
        .try_for_each(0..4, async |_| Ok::<(), Stopped>(()));
    let mapped = Loop::new(2)
        .stop(&token)
        .try_map(0..4, async |i| Ok::<_, Stopped>(i * 2));
    let streamed = Loop::new(2)
        .stop(&token)
        .try_for_each_stream(futures::stream::iter(0..4), async |_| Ok::<(), Stopped>(()));
    let stream_mapped = Loop::new(2)
        .stop(&token)
        .try_map_stream(futures::stream::iter(0..4), async |i| {
            Ok::<_, Stopped>(i + 1)
        });
    assert_eq!(block_on(each), Ok(()));
    assert_eq!(block_on(mapped), Ok(vec![0, 2, 4, 6]));
    assert_eq!(block_on(streamed), Ok(()));
    assert_eq!(block_on(stream_mapped), Ok(vec![1, 2, 3, 4]));
}
