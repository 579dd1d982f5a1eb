//! `failfast::future::try_for_each_stream` / `try_map_stream`: an async loop over a `Stream`,
//! which is polled while the iterations run, only when one can start with its item.
use failfast::future::{try_for_each_stream, try_map_stream};
use futures::channel::mpsc;
use futures::stream::{self, StreamExt};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;

/// Generous: catches a hang, measures nothing.
const HANG: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "current_thread")]
async fn exactly_workers_iterations_run_while_items_come_from_a_channel() {
    let (tx, mut rx) = mpsc::unbounded();
    for job in 0..40 {
        tx.unbounded_send(job).unwrap();
    }
    drop(tx);
    let (arrived, in_flight, most) = (Cell::new(0usize), Cell::new(0), Cell::new(0));
    let result: Result<(), ()> = try_for_each_stream(&mut rx, 4, async |_job: usize| {
        in_flight.set(in_flight.get() + 1);
        most.set(most.get().max(in_flight.get()));
        arrived.set(arrived.get() + 1);
        // Every group of 4 waits until all 4 have arrived: with fewer at once, this hangs.
        let target = arrived.get().div_ceil(4) * 4;
        futures::future::poll_fn(|cx| {
            if arrived.get() >= target {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
        in_flight.set(in_flight.get() - 1);
        Ok(())
    })
    .await;
    assert_eq!(result, Ok(()));
    assert_eq!((most.get(), arrived.get()), (4, 40));
}

#[tokio::test(flavor = "current_thread")]
async fn every_item_taken_from_the_stream_starts_an_iteration() {
    let (taken, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let items = stream::iter(0..).inspect(|_| {
        taken.fetch_add(1, Ordering::SeqCst);
    });
    let result = try_for_each_stream(items, 3, async |n: usize| {
        started.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        if n == 10 {
            Err(n)
        } else {
            Ok(())
        }
    })
    .await;
    assert_eq!(result, Err(10));
    assert_eq!(taken.into_inner(), started.load(Ordering::SeqCst));
    assert!(started.into_inner() <= 13, "it stopped at the failure");
}

/// A paginated listing fetches its next page while the last page's items run: an item of
/// the first page waits until the second page is being fetched, which hangs if the stream is
/// polled only once the iterations have finished.
#[tokio::test(flavor = "current_thread")]
async fn the_next_page_is_fetched_while_the_items_run() {
    // Page 1's fetch lets page 0's two items finish.
    let page_one_fetched = tokio::sync::Semaphore::new(0);
    let pages = stream::unfold(0, |page| {
        let page_one_fetched = &page_one_fetched;
        async move {
            if page == 3 {
                return None;
            }
            if page == 1 {
                page_one_fetched.add_permits(2);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            Some((stream::iter([page * 2, page * 2 + 1]), page + 1))
        }
    });
    let keys = pages.flatten();
    let looped = try_map_stream(keys, 8, async |key: u32| {
        if key < 2 {
            // Page 0's items: page 1 must be on its way meanwhile.
            page_one_fetched.acquire().await.unwrap().forget();
        }
        Ok::<_, ()>(key)
    });
    let result = tokio::time::timeout(HANG, looped).await;
    assert_eq!(
        result.expect("the next page was never fetched while items ran"),
        Ok(vec![0, 1, 2, 3, 4, 5])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn after_the_first_failure_the_channel_keeps_what_was_not_taken() {
    let (tx, mut rx) = mpsc::unbounded();
    for job in 0..100 {
        tx.unbounded_send(job).unwrap();
    }
    let started = Cell::new(0);
    let result = try_for_each_stream(&mut rx, 4, async |job: usize| {
        started.set(started.get() + 1);
        tokio::task::yield_now().await;
        if job == 10 {
            Err(job)
        } else {
            Ok(())
        }
    })
    .await;
    assert_eq!(result, Err(10));
    drop(tx);
    let left: Vec<usize> = rx.collect().await;
    assert_eq!(
        100 - left.len(),
        started.get(),
        "every job taken started, and nothing after the failure was taken"
    );
    assert_eq!(left.first(), Some(&started.get()));
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_the_loop_drops_the_stream_and_the_iterations_at_once() {
    struct Flag<'a>(&'a Cell<usize>);
    impl Drop for Flag<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let (iterations_dropped, stream_dropped) = (Cell::new(0), Cell::new(0));
    let stream_flag = Flag(&stream_dropped);
    // Two items, then a page that never comes.
    let items = stream::iter([1, 2]).chain(stream::once(async move {
        let _flag = stream_flag;
        std::future::pending::<u32>().await
    }));
    let looped = try_for_each_stream(items, 4, async |_| {
        let _flag = Flag(&iterations_dropped);
        std::future::pending::<Result<(), ()>>().await
    });
    let timed_out = tokio::time::timeout(Duration::from_millis(20), looped).await;
    assert!(timed_out.is_err());
    assert_eq!(iterations_dropped.get(), 2);
    assert_eq!(stream_dropped.get(), 1, "the pending page was dropped too");
}

#[tokio::test(flavor = "current_thread")]
async fn one_worker_runs_the_items_in_order_and_stops_at_the_first_failure() {
    let seen = std::cell::RefCell::new(Vec::new());
    let taken = Cell::new(0);
    let items = stream::iter(0..100).inspect(|_| taken.set(taken.get() + 1));
    let result = try_for_each_stream(items, 1, async |n: u32| {
        tokio::task::yield_now().await;
        seen.borrow_mut().push(n);
        if n == 7 {
            Err(n)
        } else {
            Ok(())
        }
    })
    .await;
    assert_eq!(result, Err(7));
    assert_eq!(*seen.borrow(), (0..=7).collect::<Vec<_>>());
    assert_eq!(taken.get(), 8, "nothing taken after the failure");
}

#[tokio::test(flavor = "current_thread")]
async fn map_keeps_the_streams_order() {
    let values = try_map_stream(stream::iter(0..50u64), 8, async |n| {
        // Later items finish first.
        tokio::time::sleep(Duration::from_micros(50 * (50 - n))).await;
        Ok::<_, ()>(n * 2)
    })
    .await;
    assert_eq!(values, Ok((0..50).map(|n| n * 2).collect::<Vec<_>>()));
    let failed = try_map_stream(stream::iter(0..50u64), 8, async |n| {
        if n == 20 {
            Err(n)
        } else {
            Ok(n)
        }
    })
    .await;
    assert_eq!(failed, Err(20));
}

#[test]
fn a_panicking_stream_resumes_with_its_payload() {
    let items = stream::iter(0..10).map(|n| {
        assert!(n != 3, "page 3 broke");
        n
    });
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        futures::executor::block_on(try_for_each_stream(items, 2, async |_| Ok::<(), ()>(())))
    }));
    let payload = panicked.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"page 3 broke"));
}

#[test]
fn the_loop_over_a_send_stream_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let (_tx, rx) = mpsc::unbounded::<String>();
    let looped = async {
        try_for_each_stream(rx, 4, async |s: String| {
            tokio::task::yield_now().await;
            drop(s);
            Ok::<(), ()>(())
        })
        .await
    };
    assert_send(&looped);
}
