//! Cancellation is by drop: at the first exit the other in-flight iterations are dropped at
//! once and never resume; dropping the loop's future drops them the same way.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Counts iterations that were dropped before their end, and those that reached it.
#[derive(Default)]
struct Counts {
    dropped: AtomicUsize,
    finished: AtomicUsize,
}

struct Guard<'a>(&'a Counts, bool);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let counter = if self.1 {
            &self.0.finished
        } else {
            &self.0.dropped
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 8)]
async fn sleepers(items: std::ops::Range<usize>, counts: &Counts) -> Result<(), usize> {
    for item in items {
        let mut guard = Guard(counts, false);
        if item == 3 {
            return Err(item);
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
        guard.1 = true;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn the_first_failure_drops_the_others_at_once() {
    let counts = Counts::default();
    let started = std::time::Instant::now();
    assert_eq!(sleepers(0..1_000, &counts).await, Err(3));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "did not wait for the sleepers"
    );
    // Items 0..=3 started (3 failed at once, the 4 before it were sleeping): all dropped.
    assert_eq!(counts.dropped.load(Ordering::SeqCst), 4);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        counts.finished.load(Ordering::SeqCst),
        0,
        "no iteration resumed"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_timeout_drops_every_in_flight_iteration() {
    let counts = Counts::default();
    let timed_out =
        tokio::time::timeout(Duration::from_millis(50), sleepers(10..1_000, &counts)).await;
    assert!(timed_out.is_err());
    assert_eq!(
        counts.dropped.load(Ordering::SeqCst),
        8,
        "all 8 in flight were dropped"
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(counts.finished.load(Ordering::SeqCst), 0);
}

#[fail_fast(workers = 2)]
async fn outer(groups: &[usize], counts: &Counts) -> Result<(), usize> {
    for &group in groups {
        inner(group, counts).await?;
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn inner(group: usize, counts: &Counts) -> Result<(), usize> {
    for item in group * 10..group * 10 + 5 {
        let mut guard = Guard(counts, false);
        if item == 11 {
            return Err(item);
        }
        tokio::time::sleep(Duration::from_secs(60)).await;
        guard.1 = true;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn nested_async_loops_are_dropped_with_the_outer_one() {
    let counts = Counts::default();
    assert_eq!(outer(&[0, 1, 2], &counts).await, Err(11));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(counts.finished.load(Ordering::SeqCst), 0);
    assert!(counts.dropped.load(Ordering::SeqCst) >= 3);
}
