//! Async loops beside their peers, on tokio's current-thread runtime: futures'
//! `try_for_each_concurrent` (tfec), `buffer_unordered` + `try_for_each`, and tokio's `JoinSet`
//! + `Semaphore` (a spawned task per item). `cargo bench --bench async_loops [-- NAME]`.
mod common;

use common::{median, peak_during, print_table, Row};
use failfast::fail_fast;
use futures::{StreamExt, TryStreamExt};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The median of 3 runs of `loop_future()` on `rt`, in milliseconds.
fn median_ms<F: Future>(rt: &tokio::runtime::Runtime, mut loop_future: impl FnMut() -> F) -> f64 {
    median(3, || {
        let start = Instant::now();
        rt.block_on(loop_future());
        start.elapsed().as_secs_f64() * 1e3
    })
}

fn row(name: &'static str, figure: f64) -> Row {
    Row {
        name,
        figure,
        detail: String::new(),
    }
}

/// A body that does nothing but count, for the scenarios of ready bodies.
fn count_tfec<'a>(
    sum: &'a AtomicUsize,
) -> impl FnMut(u64) -> futures::future::Ready<Result<(), ()>> + 'a {
    move |item| {
        sum.fetch_add(item as usize & 1, Ordering::Relaxed);
        futures::future::ready(Ok(()))
    }
}

// ---------------------------------------------------------------------------------------
// aio_ok: 1,000 items of sleep(5 ms), 50 at once.

#[fail_fast(workers = 50)]
async fn aio_ok_failfast(items: std::ops::Range<u32>) -> Result<(), ()> {
    for _item in items {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

fn aio_ok() {
    let rt = runtime();
    let sleep = |_| async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok::<(), ()>(())
    };
    let joinset = || async {
        let permits = Arc::new(tokio::sync::Semaphore::new(50));
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..1_000 {
            let permit = Arc::clone(&permits).acquire_owned().await.unwrap();
            set.spawn(async move {
                tokio::time::sleep(Duration::from_millis(5)).await;
                drop(permit);
            });
        }
        while set.join_next().await.is_some() {}
    };
    print_table(
        "aio_ok: 1,000 items of sleep(5 ms), 50 at once (floor: 20 rounds of tokio's ~6.1 ms sleep)",
        "ms",
        true,
        &[
            row("failfast", median_ms(&rt, || aio_ok_failfast(0..1_000))),
            row(
                "try_for_each_concurrent",
                median_ms(&rt, || {
                    futures::stream::iter(0..1_000)
                        .map(Ok)
                        .try_for_each_concurrent(50, sleep)
                }),
            ),
            row(
                "buffer_unordered + try_for_each",
                median_ms(&rt, || {
                    futures::stream::iter(0..1_000)
                        .map(sleep)
                        .buffer_unordered(50)
                        .try_for_each(|()| async { Ok(()) })
                }),
            ),
            row("JoinSet + Semaphore", median_ms(&rt, joinset)),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_fail: 10,000 lazy items of sleep(20 ms), the 21st fails at once, 8 at once.

#[derive(Default)]
struct Counts {
    pulled: AtomicUsize,
    started: AtomicUsize,
    alive: AtomicUsize,
    finished: AtomicUsize,
}

struct Alive<'a>(&'a Counts);

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.alive.fetch_sub(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 8)]
async fn aio_fail_failfast(
    items: impl Iterator<Item = usize>,
    counts: &Counts,
) -> Result<(), usize> {
    for item in items {
        counts.started.fetch_add(1, Ordering::SeqCst);
        counts.alive.fetch_add(1, Ordering::SeqCst);
        let _alive = Alive(counts);
        if item == 20 {
            return Err(item);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        counts.finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

fn aio_fail() {
    let rt = runtime();
    let counts = Counts::default();
    let ours = median_ms(&rt, || {
        counts.pulled.store(0, Ordering::SeqCst);
        counts.started.store(0, Ordering::SeqCst);
        let items = (0..10_000).inspect(|_| {
            counts.pulled.fetch_add(1, Ordering::SeqCst);
        });
        aio_fail_failfast(items, &counts)
    });
    // Bodies that reach their end after the loop returned: the last run's, given time to.
    counts.finished.store(0, Ordering::SeqCst);
    rt.block_on(async { tokio::time::sleep(Duration::from_millis(50)).await });
    let detail = format!(
        "pulled {}, started {}, alive after return {}, reached their end after return {}",
        counts.pulled.load(Ordering::SeqCst),
        counts.started.load(Ordering::SeqCst),
        counts.alive.load(Ordering::SeqCst),
        counts.finished.load(Ordering::SeqCst),
    );
    let tfec = median_ms(&rt, || {
        futures::stream::iter(0..10_000usize)
            .map(Ok)
            .try_for_each_concurrent(8, |item| async move {
                if item == 20 {
                    return Err(item);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(())
            })
    });
    print_table(
        "aio_fail: 10,000 lazy items of sleep(20 ms), the 21st fails at once, 8 at once: time to the error",
        "ms",
        true,
        &[
            Row {
                name: "failfast",
                figure: ours,
                detail,
            },
            row("try_for_each_concurrent", tfec),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_tiny: 1,000,000 immediately ready bodies, 64 at once.

const TINY_ITEMS: u64 = 1_000_000;

#[fail_fast(workers = 64)]
async fn aio_tiny_failfast(items: std::ops::Range<u64>, sum: &AtomicUsize) -> Result<(), ()> {
    for item in items {
        std::future::ready(()).await;
        sum.fetch_add(item as usize & 1, Ordering::Relaxed);
    }
    Ok(())
}

fn aio_tiny() {
    let rt = runtime();
    let sum = AtomicUsize::new(0);
    let per_item = |ms: f64| ms * 1e6 / TINY_ITEMS as f64;
    print_table(
        "aio_tiny: 1,000,000 immediately ready bodies, 64 at once, per item",
        "ns/item",
        true,
        &[
            row(
                "failfast",
                per_item(median_ms(&rt, || aio_tiny_failfast(0..TINY_ITEMS, &sum))),
            ),
            row(
                "try_for_each_concurrent",
                per_item(median_ms(&rt, || {
                    futures::stream::iter(0..TINY_ITEMS)
                        .map(Ok)
                        .try_for_each_concurrent(64, count_tfec(&sum))
                })),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_fixed: an 8-item loop of ready bodies, called 20,000 times.

const CALLS: u32 = 20_000;

#[fail_fast(workers = 8)]
async fn aio_fixed_failfast(items: &[u64; 8], sum: &AtomicUsize) -> Result<(), ()> {
    for &item in items {
        std::future::ready(()).await;
        sum.fetch_add(item as usize & 1, Ordering::Relaxed);
    }
    Ok(())
}

fn aio_fixed() {
    let rt = runtime();
    let sum = AtomicUsize::new(0);
    let items = [1, 2, 3, 4, 5, 6, 7, 8];
    let per_call = |ms: f64| ms * 1e3 / f64::from(CALLS);
    let ours = median_ms(&rt, || async {
        for _ in 0..CALLS {
            aio_fixed_failfast(&items, &sum).await.unwrap();
        }
    });
    let tfec = median_ms(&rt, || async {
        for _ in 0..CALLS {
            futures::stream::iter(items)
                .map(Ok)
                .try_for_each_concurrent(8, count_tfec(&sum))
                .await
                .unwrap();
        }
    });
    print_table(
        "aio_fixed: an 8-item loop of ready bodies, per call",
        "us",
        true,
        &[
            row("failfast", per_call(ours)),
            row("try_for_each_concurrent", per_call(tfec)),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_mem: 5,000,000 lazy items, the 4,000,001st fails.

const FAILS_AT: u64 = 4_000_000;

#[fail_fast(workers = 8)]
async fn aio_mem_failfast(items: std::ops::Range<u64>) -> Result<(), u64> {
    for item in items {
        std::future::ready(()).await;
        if item == FAILS_AT {
            Err(item)?;
        }
    }
    Ok(())
}

fn aio_mem() {
    let rt = runtime();
    let tfec_loop = || {
        futures::stream::iter(0..5_000_000u64)
            .map(Ok)
            .try_for_each_concurrent(8, |item| {
                futures::future::ready(if item == FAILS_AT { Err(item) } else { Ok(()) })
            })
    };
    let (ours, our_peak) = peak_during(|| median_ms(&rt, || aio_mem_failfast(0..5_000_000)));
    let (tfec, tfec_peak) = peak_during(|| median_ms(&rt, tfec_loop));
    let kib = |bytes: usize| format!("{:.1} KiB peak heap", bytes as f64 / 1024.0);
    print_table(
        "aio_mem: 5,000,000 lazy items, the 4,000,001st fails, 8 at once",
        "ms",
        true,
        &[
            Row {
                name: "failfast",
                figure: ours,
                detail: kib(our_peak),
            },
            Row {
                name: "try_for_each_concurrent",
                figure: tfec,
                detail: kib(tfec_peak),
            },
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_drop: the loop dropped by a 50 ms timeout while 8 bodies sleep 1 s.

#[fail_fast(workers = 8)]
async fn aio_drop_failfast(finished: &AtomicUsize) -> Result<(), ()> {
    for _item in 0..8 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

fn aio_drop() {
    let rt = runtime();
    let finished = AtomicUsize::new(0);
    rt.block_on(async {
        let timed_out =
            tokio::time::timeout(Duration::from_millis(50), aio_drop_failfast(&finished)).await;
        assert!(timed_out.is_err());
        tokio::time::sleep(Duration::from_millis(1_100)).await;
    });
    // A tokio task per item: the timeout drops only the wait for them.
    let tasks_finished = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        let mut handles: Vec<_> = (0..8)
            .map(|_| {
                let tasks_finished = Arc::clone(&tasks_finished);
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    tasks_finished.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        let all = futures::future::join_all(&mut handles);
        let _ = tokio::time::timeout(Duration::from_millis(50), all).await;
        tokio::time::sleep(Duration::from_millis(1_100)).await;
    });
    println!("\naio_drop: dropped by a 50 ms timeout while 8 bodies sleep 1 s: bodies that reached their end afterwards");
    println!(
        "  failfast                           {}",
        finished.load(Ordering::SeqCst)
    );
    println!(
        "  a tokio task per item              {}",
        tasks_finished.load(Ordering::SeqCst)
    );
}

// ---------------------------------------------------------------------------------------
// aio_stream: a `Stream` of 1,000,000 ready items, ready bodies, 64 at once.

#[fail_fast(workers = 64)]
async fn aio_stream_while_let(sum: &AtomicUsize) -> Result<(), ()> {
    let mut items = futures::stream::iter(0..TINY_ITEMS);
    while let Some(item) = items.next().await {
        sum.fetch_add(item as usize & 1, Ordering::Relaxed);
    }
    Ok(())
}

fn aio_stream() {
    let rt = runtime();
    let sum = AtomicUsize::new(0);
    let per_item = |ms: f64| ms * 1e6 / TINY_ITEMS as f64;
    print_table(
        "aio_stream: futures::stream::iter of 1,000,000 ready items, ready bodies, 64 at once, per item",
        "ns/item",
        true,
        &[
            row(
                "failfast try_for_each_stream",
                per_item(median_ms(&rt, || {
                    failfast::future::try_for_each_stream(
                        futures::stream::iter(0..TINY_ITEMS),
                        64,
                        async |item| {
                            sum.fetch_add(item as usize & 1, Ordering::Relaxed);
                            Ok::<(), ()>(())
                        },
                    )
                })),
            ),
            row(
                "failfast while let (macro)",
                per_item(median_ms(&rt, || aio_stream_while_let(&sum))),
            ),
            row(
                "try_for_each_concurrent",
                per_item(median_ms(&rt, || {
                    futures::stream::iter(0..TINY_ITEMS)
                        .map(Ok)
                        .try_for_each_concurrent(64, count_tfec(&sum))
                })),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// aio_chan: 1,000 jobs of sleep(5 ms) through a tokio mpsc channel, 50 at once.

/// A channel holding 1,000 jobs, its sender dropped, as a `Stream`.
fn jobs() -> impl futures::Stream<Item = u32> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1_000);
    for job in 0..1_000 {
        tx.try_send(job).unwrap();
    }
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

fn aio_chan() {
    let rt = runtime();
    let sleep = |_| async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok::<(), ()>(())
    };
    print_table(
        "aio_chan: 1,000 jobs of sleep(5 ms) from a tokio mpsc channel, 50 at once (floor: 20 rounds of tokio's ~6.1 ms sleep)",
        "ms",
        true,
        &[
            row(
                "failfast try_for_each_stream",
                median_ms(&rt, || {
                    failfast::future::try_for_each_stream(jobs(), 50, async |_| {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        Ok::<(), ()>(())
                    })
                }),
            ),
            row(
                "try_for_each_concurrent",
                median_ms(&rt, || jobs().map(Ok).try_for_each_concurrent(50, sleep)),
            ),
        ],
    );
}

fn main() {
    common::run_scenarios(&[
        ("aio_ok", aio_ok),
        ("aio_fail", aio_fail),
        ("aio_tiny", aio_tiny),
        ("aio_fixed", aio_fixed),
        ("aio_mem", aio_mem),
        ("aio_drop", aio_drop),
        ("aio_stream", aio_stream),
        ("aio_chan", aio_chan),
    ]);
}
