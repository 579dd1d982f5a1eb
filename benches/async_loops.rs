//! Async loops beside their peers, on tokio's current-thread runtime: futures'
//! `try_for_each_concurrent` (tfec), `buffer_unordered` + `try_for_each`, and tokio's `JoinSet`
//! + `Semaphore` (a spawned task per item). `cargo bench --bench async_loops [-- NAME]`.
use failfast::fail_fast;
use futures::{StreamExt, TryStreamExt};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn time_ms<T>(runtime: &tokio::runtime::Runtime, f: impl std::future::Future<Output = T>) -> f64 {
    let start = Instant::now();
    runtime.block_on(f);
    start.elapsed().as_secs_f64() * 1e3
}

fn row(name: &str, figure: f64, unit: &str, ours: f64, detail: &str) {
    println!(
        "  {name:<34} {figure:>10.2} {unit:<8} {:>6.2}x failfast's  {detail}",
        figure / ours
    );
}

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
    let ours = median(
        (0..3)
            .map(|_| time_ms(&rt, aio_ok_failfast(0..1_000)))
            .collect(),
    );
    let tfec = median(
        (0..3)
            .map(|_| {
                time_ms(
                    &rt,
                    futures::stream::iter(0..1_000)
                        .map(Ok)
                        .try_for_each_concurrent(50, sleep),
                )
            })
            .collect(),
    );
    let buffered = median(
        (0..3)
            .map(|_| {
                time_ms(
                    &rt,
                    futures::stream::iter(0..1_000)
                        .map(sleep)
                        .buffer_unordered(50)
                        .try_for_each(|()| async { Ok(()) }),
                )
            })
            .collect(),
    );
    let joinset = median(
        (0..3)
            .map(|_| {
                time_ms(&rt, async {
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
                })
            })
            .collect(),
    );
    println!("\naio_ok: 1,000 items of sleep(5 ms), 50 at once (floor: 20 rounds of tokio's ~6.1 ms sleep)");
    row("failfast", ours, "ms", ours, "");
    row("try_for_each_concurrent", tfec, "ms", ours, "");
    row("buffer_unordered + try_for_each", buffered, "ms", ours, "");
    row("JoinSet + Semaphore", joinset, "ms", ours, "");
}

// aio_fail: 10,000 lazy items of sleep(20 ms), the 21st fails at once, 8 at once.
struct Counts {
    pulled: AtomicUsize,
    started: AtomicUsize,
    alive: AtomicUsize,
    finished_late: AtomicUsize,
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
        counts.finished_late.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

fn aio_fail() {
    let rt = runtime();
    let counts = Counts {
        pulled: AtomicUsize::new(0),
        started: AtomicUsize::new(0),
        alive: AtomicUsize::new(0),
        finished_late: AtomicUsize::new(0),
    };
    let mut after = 0;
    let ours = median(
        (0..3)
            .map(|_| {
                counts.pulled.store(0, Ordering::SeqCst);
                counts.started.store(0, Ordering::SeqCst);
                let items = (0..10_000).inspect(|_| {
                    counts.pulled.fetch_add(1, Ordering::SeqCst);
                });
                let ms = time_ms(&rt, aio_fail_failfast(items, &counts));
                counts.finished_late.store(0, Ordering::SeqCst);
                rt.block_on(async { tokio::time::sleep(Duration::from_millis(50)).await });
                after = counts.finished_late.load(Ordering::SeqCst);
                ms
            })
            .collect(),
    );
    let tfec = median(
        (0..3)
            .map(|_| {
                time_ms(
                    &rt,
                    futures::stream::iter(0..10_000usize)
                        .map(Ok)
                        .try_for_each_concurrent(8, |item| async move {
                            if item == 20 {
                                return Err(item);
                            }
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            Ok(())
                        }),
                )
            })
            .collect(),
    );
    println!("\naio_fail: 10,000 lazy items of sleep(20 ms), the 21st fails at once, 8 at once: time to the error");
    row(
        "failfast",
        ours,
        "ms",
        ours,
        &format!(
            "pulled {}, started {}, alive after return {}, reached their end after return {after}",
            counts.pulled.load(Ordering::SeqCst),
            counts.started.load(Ordering::SeqCst),
            counts.alive.load(Ordering::SeqCst)
        ),
    );
    row("try_for_each_concurrent", tfec, "ms", ours, "");
}

// aio_tiny: 1,000,000 immediately ready bodies, 64 at once.
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
    const N: u64 = 1_000_000;
    let per_item = |ms: f64| ms * 1e6 / N as f64;
    let ours = per_item(median(
        (0..3)
            .map(|_| time_ms(&rt, aio_tiny_failfast(0..N, &sum)))
            .collect(),
    ));
    let tfec = per_item(median(
        (0..3)
            .map(|_| {
                time_ms(
                    &rt,
                    futures::stream::iter(0..N)
                        .map(Ok::<u64, ()>)
                        .try_for_each_concurrent(64, |item| {
                            let sum = &sum;
                            async move {
                                sum.fetch_add(item as usize & 1, Ordering::Relaxed);
                                Ok(())
                            }
                        }),
                )
            })
            .collect(),
    ));
    println!("\naio_tiny: 1,000,000 immediately ready bodies, 64 at once, per item");
    row("failfast", ours, "ns/item", ours, "");
    row("try_for_each_concurrent", tfec, "ns/item", ours, "");
}

// aio_fixed: an 8-item loop of ready bodies, called 20,000 times.
#[fail_fast(workers = 8)]
async fn aio_fixed_failfast(items: &[u64; 8], sum: &AtomicUsize) -> Result<(), ()> {
    for &item in items {
        std::future::ready(()).await;
        sum.fetch_add(item as usize, Ordering::Relaxed);
    }
    Ok(())
}

fn aio_fixed() {
    let rt = runtime();
    let sum = AtomicUsize::new(0);
    let items = [1, 2, 3, 4, 5, 6, 7, 8];
    const CALLS: u32 = 20_000;
    let per_call = |ms: f64| ms * 1e3 / f64::from(CALLS);
    let ours = per_call(median(
        (0..3)
            .map(|_| {
                time_ms(&rt, async {
                    for _ in 0..CALLS {
                        aio_fixed_failfast(&items, &sum).await.unwrap();
                    }
                })
            })
            .collect(),
    ));
    let tfec = per_call(median(
        (0..3)
            .map(|_| {
                time_ms(&rt, async {
                    for _ in 0..CALLS {
                        futures::stream::iter(items)
                            .map(Ok::<u64, ()>)
                            .try_for_each_concurrent(8, |item| {
                                let sum = &sum;
                                async move {
                                    sum.fetch_add(item as usize, Ordering::Relaxed);
                                    Ok(())
                                }
                            })
                            .await
                            .unwrap();
                    }
                })
            })
            .collect(),
    ));
    println!("\naio_fixed: an 8-item loop of ready bodies, per call");
    row("failfast", ours, "us", ours, "");
    row("try_for_each_concurrent", tfec, "us", ours, "");
}

// aio_mem: 5,000,000 lazy items, the 4,000,001st fails.
#[fail_fast(workers = 8)]
async fn aio_mem_failfast(items: std::ops::Range<u64>) -> Result<(), u64> {
    for item in items {
        std::future::ready(()).await;
        if item == 4_000_000 {
            Err(item)?;
        }
    }
    Ok(())
}

fn aio_mem() {
    let rt = runtime();
    let ours = median(
        (0..3)
            .map(|_| time_ms(&rt, aio_mem_failfast(0..5_000_000)))
            .collect(),
    );
    let tfec = median(
        (0..3)
            .map(|_| {
                time_ms(
                    &rt,
                    futures::stream::iter(0..5_000_000u64)
                        .map(Ok)
                        .try_for_each_concurrent(8, |item| async move {
                            if item == 4_000_000 {
                                Err(item)
                            } else {
                                Ok(())
                            }
                        }),
                )
            })
            .collect(),
    );
    println!("\naio_mem: 5,000,000 lazy items, the 4,000,001st fails, 8 at once");
    row("failfast", ours, "ms", ours, "");
    row("try_for_each_concurrent", tfec, "ms", ours, "");
}

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
    let _ = rt.block_on(async {
        tokio::time::timeout(Duration::from_millis(50), aio_drop_failfast(&finished)).await
    });
    rt.block_on(async { tokio::time::sleep(Duration::from_millis(1_100)).await });
    let ours = finished.load(Ordering::SeqCst);
    // A tokio task per item, told to stop by a cancellation flag it only sees after its sleep.
    let tasks_finished = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        let mut handles = Vec::new();
        for _ in 0..8 {
            let tasks_finished = Arc::clone(&tasks_finished);
            handles.push(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(1)).await;
                tasks_finished.fetch_add(1, Ordering::SeqCst);
            }));
        }
        let _ = tokio::time::timeout(
            Duration::from_millis(50),
            futures::future::join_all(&mut handles),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(1_100)).await;
    });
    println!("\naio_drop: dropped by a 50 ms timeout while 8 bodies sleep 1 s: bodies that reached their end afterwards");
    println!("  failfast                           {ours}");
    println!(
        "  a tokio task per item              {}",
        tasks_finished.load(Ordering::SeqCst)
    );
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let run = |name: &str, scenario: fn()| {
        if filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())) {
            scenario();
        }
    };
    let begin = Instant::now();
    run("aio_ok", aio_ok);
    run("aio_fail", aio_fail);
    run("aio_tiny", aio_tiny);
    run("aio_fixed", aio_fixed);
    run("aio_mem", aio_mem);
    run("aio_drop", aio_drop);
    println!(
        "\nall async scenarios in {:.1} s",
        begin.elapsed().as_secs_f64()
    );
}
