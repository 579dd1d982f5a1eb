//! A loop with many ready iterations returns to the executor regularly: a ticking task on the
//! same current-thread runtime keeps running while 100,000 ready iterations go through.
use failfast::fail_fast;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

#[fail_fast(workers = 64)]
async fn ready_bodies(
    count: usize,
    ticks: &AtomicUsize,
    most_without_tick: &AtomicUsize,
) -> Result<(), ()> {
    let last_tick = AtomicUsize::new(0);
    let since = AtomicUsize::new(0);
    for _item in 0..count {
        let now = ticks.load(Ordering::Relaxed);
        if last_tick.swap(now, Ordering::Relaxed) == now {
            let run = since.fetch_add(1, Ordering::Relaxed) + 1;
            most_without_tick.fetch_max(run, Ordering::Relaxed);
        } else {
            since.store(0, Ordering::Relaxed);
        }
        std::future::ready(()).await;
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn many_ready_iterations_do_not_starve_other_tasks() {
    let ticks = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let ticker = tokio::spawn({
        let (ticks, done) = (Arc::clone(&ticks), Arc::clone(&done));
        async move {
            while !done.load(Ordering::Relaxed) {
                ticks.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        }
    });
    let most_without_tick = AtomicUsize::new(0);
    ready_bodies(100_000, &ticks, &most_without_tick)
        .await
        .unwrap();
    done.store(true, Ordering::Relaxed);
    ticker.await.unwrap();
    assert!(
        ticks.load(Ordering::Relaxed) >= 100_000 / 1_000,
        "the ticker ran throughout"
    );
    let longest = most_without_tick.into_inner();
    assert!(
        longest <= 1_000,
        "{longest} iterations in a row without the ticker running"
    );
}
