//! Async `while let` loops through the macro: the head's future is awaited by the loop's own
//! future while the iterations run, only when one can start with its value, and is dropped at
//! once when the loop ends. One test per promise.
use failfast::fail_fast;
use std::cell::{Cell, RefCell};
use std::task::Poll;
use std::time::Duration;
use tokio::sync::mpsc;

/// Generous: catches a hang, measures nothing.
const HANG: Duration = Duration::from_secs(30);

/// Counts the iterations in flight and the most at once.
#[derive(Default)]
struct InFlight {
    now: Cell<usize>,
    most: Cell<usize>,
    arrived: Cell<usize>,
}

#[fail_fast(workers = 4)]
async fn gated(jobs: &mut mpsc::UnboundedReceiver<u32>, flight: &InFlight) -> Result<(), ()> {
    while let Some(_job) = jobs.recv().await {
        flight.now.set(flight.now.get() + 1);
        flight.most.set(flight.most.get().max(flight.now.get()));
        flight.arrived.set(flight.arrived.get() + 1);
        // Each group of 4 waits until all 4 have arrived: with fewer at once, this hangs.
        let target = flight.arrived.get().div_ceil(4) * 4;
        std::future::poll_fn(|cx| {
            if flight.arrived.get() >= target {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
        flight.now.set(flight.now.get() - 1);
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn the_limit_holds_while_values_come_from_a_channel() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for job in 0..40 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let flight = InFlight::default();
    let looped = tokio::time::timeout(HANG, gated(&mut rx, &flight)).await;
    assert_eq!(looped.expect("fewer than 4 at once"), Ok(()));
    assert_eq!((flight.most.get(), flight.arrived.get()), (4, 40));
}

#[fail_fast(workers = 3)]
async fn counted(pulled: &Cell<u32>, started: &Cell<u32>, flight: &InFlight) -> Result<(), u32> {
    let next = || async {
        tokio::task::yield_now().await;
        // Evaluated only with a slot free.
        assert!(flight.now.get() < 3, "the head ran with every slot busy");
        pulled.set(pulled.get() + 1);
        Some(pulled.get())
    };
    while let Some(n) = next().await {
        flight.now.set(flight.now.get() + 1);
        started.set(started.get() + 1);
        tokio::task::yield_now().await;
        flight.now.set(flight.now.get() - 1);
        if n == 20 {
            return Err(n);
        }
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn every_value_pulled_starts_an_iteration() {
    let (pulled, started, flight) = (Cell::new(0), Cell::new(0), InFlight::default());
    assert_eq!(counted(&pulled, &started, &flight).await, Err(20));
    assert_eq!(
        pulled.get(),
        started.get(),
        "a value was pulled and never started"
    );
}

/// A paginated listing, 2 keys a page: the first page's keys finish only once the second page
/// is being fetched, which hangs if the head is awaited only between iterations.
#[fail_fast(workers = 8)]
async fn paginated(fetching: &Cell<u32>, page_one: &tokio::sync::Notify) -> Result<Vec<u32>, ()> {
    let keys = RefCell::new(Vec::new());
    let mut buffered: Vec<u32> = Vec::new();
    let mut next_key = async || -> Option<u32> {
        if buffered.is_empty() {
            let page = fetching.get();
            if page == 3 {
                return None;
            }
            fetching.set(page + 1);
            if page == 1 {
                page_one.notify_waiters();
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            buffered = vec![page * 2 + 1, page * 2];
        }
        buffered.pop()
    };
    while let Some(key) = next_key().await {
        if key < 2 && fetching.get() < 2 {
            page_one.notified().await;
        }
        keys.borrow_mut().push(key);
    }
    let mut keys = keys.into_inner();
    keys.sort_unstable();
    Ok(keys)
}

#[tokio::test(flavor = "current_thread")]
async fn the_head_is_awaited_while_the_iterations_run() {
    let (fetching, page_one) = (Cell::new(0), tokio::sync::Notify::new());
    let looped = tokio::time::timeout(HANG, paginated(&fetching, &page_one)).await;
    assert_eq!(
        looped.expect("the next page was not fetched while the keys ran"),
        Ok(vec![0, 1, 2, 3, 4, 5])
    );
}

struct Flag<'a>(&'a Cell<usize>);

impl Drop for Flag<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[fail_fast(workers = 4)]
async fn failing_head(
    jobs: &mut mpsc::UnboundedReceiver<Result<u32, String>>,
    dropped: &Cell<usize>,
) -> Result<(), String> {
    while let Some(job) = jobs.recv().await.transpose()? {
        let _flag = Flag(dropped);
        tokio::time::sleep(Duration::from_secs(job.into())).await;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_failure_in_the_head_drops_the_iterations_at_once() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for job in [60, 60, 60] {
        tx.send(Ok(job)).unwrap();
    }
    tx.send(Err("the listing broke".to_string())).unwrap();
    tx.send(Ok(1)).unwrap();
    let dropped = Cell::new(0);
    let looped = tokio::time::timeout(HANG, failing_head(&mut rx, &dropped)).await;
    assert_eq!(
        looped.expect("waited for the iterations"),
        Err("the listing broke".to_string())
    );
    assert_eq!(dropped.get(), 3);
    assert_eq!(rx.try_recv(), Ok(Ok(1)), "not evaluated after its failure");
}

#[fail_fast(workers = 8)]
async fn drain(jobs: &mut mpsc::UnboundedReceiver<u32>, finished: &Cell<u32>) -> Result<(), ()> {
    while let Some(job) = jobs.recv().await {
        tokio::time::sleep(Duration::from_millis(job.into())).await;
        finished.set(finished.get() + 1);
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_head_that_stops_matching_waits_for_the_running_iterations() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for job in [20, 10, 30] {
        tx.send(job).unwrap();
    }
    drop(tx);
    let finished = Cell::new(0);
    assert_eq!(drain(&mut rx, &finished).await, Ok(()));
    assert_eq!(finished.get(), 3);
}

#[fail_fast(workers = 4)]
async fn until_job_ten(
    jobs: &mut mpsc::UnboundedReceiver<u32>,
    started: &Cell<usize>,
) -> Result<(), u32> {
    while let Some(job) = jobs.recv().await {
        started.set(started.get() + 1);
        tokio::task::yield_now().await;
        if job == 10 {
            return Err(job);
        }
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn after_the_first_failure_the_channel_keeps_what_was_not_taken() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for job in 0..100 {
        tx.send(job).unwrap();
    }
    let started = Cell::new(0);
    assert_eq!(until_job_ten(&mut rx, &started).await, Err(10));
    drop(tx);
    let mut left = Vec::new();
    while let Some(job) = rx.recv().await {
        left.push(job);
    }
    assert_eq!(100 - left.len(), started.get(), "taken and never started");
    assert_eq!(left.first(), Some(&(started.get() as u32)));
}

#[fail_fast(workers = 4)]
async fn first_odd_square(numbers: &mut mpsc::UnboundedReceiver<u32>) -> Result<Option<u32>, ()> {
    while let Some(n) = numbers.recv().await {
        tokio::task::yield_now().await;
        if n % 2 == 0 {
            continue;
        }
        return Ok(Some(n * n));
    }
    Ok(None)
}

#[tokio::test(flavor = "current_thread")]
async fn return_and_continue_work_as_in_a_for_loop() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for n in [2, 4, 7, 6] {
        tx.send(n).unwrap();
    }
    drop(tx);
    assert_eq!(first_odd_square(&mut rx).await, Ok(Some(49)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    for n in [2, 4, 6] {
        tx.send(n).unwrap();
    }
    drop(tx);
    assert_eq!(first_odd_square(&mut rx).await, Ok(None));
}

#[fail_fast(workers = 4)]
async fn never_ending(
    head_dropped: &Cell<usize>,
    iterations_dropped: &Cell<usize>,
) -> Result<(), ()> {
    let mut given = 0;
    let mut next = async || {
        given += 1;
        if given <= 2 {
            return Some(given);
        }
        let _flag = Flag(head_dropped);
        std::future::pending::<Option<u32>>().await
    };
    while let Some(_n) = next().await {
        let _flag = Flag(iterations_dropped);
        std::future::pending::<()>().await;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_the_loop_drops_the_head_and_the_iterations() {
    let (head_dropped, iterations_dropped) = (Cell::new(0), Cell::new(0));
    let looped = never_ending(&head_dropped, &iterations_dropped);
    let timed_out = tokio::time::timeout(Duration::from_millis(20), looped).await;
    assert!(timed_out.is_err());
    assert_eq!(iterations_dropped.get(), 2);
    assert_eq!(
        head_dropped.get(),
        1,
        "the head in progress was dropped too"
    );
}

#[fail_fast(workers = 1)]
async fn in_order(
    jobs: &mut mpsc::UnboundedReceiver<u32>,
    seen: &RefCell<Vec<u32>>,
) -> Result<(), u32> {
    while let Some(n) = jobs.recv().await {
        tokio::task::yield_now().await;
        seen.borrow_mut().push(n);
        if n == 5 {
            return Err(n);
        }
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn one_worker_is_the_sequential_while_let() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for n in 0..10 {
        tx.send(n).unwrap();
    }
    let seen = RefCell::new(Vec::new());
    assert_eq!(in_order(&mut rx, &seen).await, Err(5));
    assert_eq!(seen.into_inner(), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(rx.try_recv(), Ok(6), "nothing taken after the failure");
}
