//! Stopping loops from outside, beside their peers: how long from `stop()` to the loop's
//! return, how much CPU a stopped-to-be loop uses while it waits, how close to its time a
//! timeout returns, and what a stop token that is never stopped costs.
//! `cargo bench --bench stop [-- NAME]`.
mod common;

use common::{print_table, run_scenarios, warm_median, Row};
use failfast::{cancelled, Loop, StopToken, Stopped};
use rayon::prelude::*;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WORKERS: usize = 8;
/// How often the latency scenarios' iterations check whether to stop.
const POLL: Duration = Duration::from_micros(50);
const ROUNDS: usize = 20;

/// When the last [`iteration`] that saw the stop returned, in the latency round running now.
static LAST_RETURN: Mutex<Option<Instant>> = Mutex::new(None);
/// For each latency round of the thread loops so far: the time from the last iteration's
/// return to the loop's, in milliseconds (drained by [`median_max`]).
static AFTER_ITERATIONS: Mutex<Vec<f64>> = Mutex::new(Vec::new());

/// Busy for `length` unless `stop()` says otherwise, checking every [`POLL`]: a long iteration
/// that stops early.
fn iteration(length: Duration, stop: impl Fn() -> bool) {
    let end = Instant::now() + length;
    while Instant::now() < end {
        if stop() {
            let now = Instant::now();
            let mut last = LAST_RETURN.lock().unwrap();
            *last = Some(last.map_or(now, |last| last.max(now)));
            return;
        }
        std::thread::sleep(POLL);
    }
}

/// Runs `run_loop` with `stop` called from another thread 20 ms after the loop started; the
/// time from `stop` to the loop's return, in milliseconds. If the loop's iterations are
/// [`iteration`]s, also notes how much of it came after the last of them returned (what the
/// loop itself adds to its iterations' reaction).
fn latency_ms(stop: impl Fn() + Sync, run_loop: impl FnOnce()) -> f64 {
    let stopped_at = Mutex::new(None);
    *LAST_RETURN.lock().unwrap() = None;
    let returned = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(20));
            *stopped_at.lock().unwrap() = Some(Instant::now());
            stop();
        });
        run_loop();
        Instant::now()
    });
    if let Some(last) = *LAST_RETURN.lock().unwrap() {
        let after = returned.saturating_duration_since(last).as_secs_f64() * 1e3;
        AFTER_ITERATIONS.lock().unwrap().push(after);
    }
    let stopped_at = stopped_at.into_inner().unwrap().expect("stopped");
    returned.saturating_duration_since(stopped_at).as_secs_f64() * 1e3
}

/// The median and max of [`ROUNDS`] latencies, and the median of the times after the last
/// iteration returned, if the rounds noted them.
struct Latencies {
    median: f64,
    max: f64,
    after_iterations: Option<f64>,
}

/// [`Latencies`] of [`ROUNDS`] calls of `measure`.
fn median_max(mut measure: impl FnMut() -> f64) -> Latencies {
    AFTER_ITERATIONS.lock().unwrap().clear();
    let mut samples: Vec<f64> = (0..ROUNDS).map(|_| measure()).collect();
    samples.sort_by(f64::total_cmp);
    let mut after = std::mem::take(&mut *AFTER_ITERATIONS.lock().unwrap());
    after.sort_by(f64::total_cmp);
    Latencies {
        median: samples[ROUNDS / 2],
        max: samples[ROUNDS - 1],
        after_iterations: after.get(after.len() / 2).copied(),
    }
}

fn latency_row(name: &'static str, latencies: Latencies) -> Row {
    let mut detail = format!("max {:.2} ms", latencies.max);
    if let Some(after) = latencies.after_iterations {
        detail += &format!(", {after:.3} after the last iteration returned");
    }
    Row {
        name,
        figure: latencies.median,
        detail,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The latency scenario's loop written with the macro: a range, split by index.
#[failfast::fail_fast(workers = 8, stop = stop)]
fn latency_loop(stop: &StopToken, length: Duration) -> Result<(), Stopped> {
    for _ in 0..u64::MAX {
        iteration(length, cancelled);
    }
    Ok(())
}

/// `stop_latency`: 8 workers over an endless input, iterations of 2 ms that check every 50 us;
/// `stop()` to return, and the part of it after the last iteration returned (the contract:
/// under 1 ms above the iterations' own reaction).
fn stop_latency() {
    let length = Duration::from_millis(2);
    let ours = median_max(|| {
        let token = StopToken::new();
        latency_ms(
            || token.stop(),
            || {
                let result: Result<(), Stopped> =
                    Loop::new(WORKERS).stop(&token).try_for_each(0.., |_| {
                        iteration(length, cancelled);
                        Ok(())
                    });
                assert!(result.is_err());
            },
        )
    });
    let macro_loop = median_max(|| {
        let token = StopToken::new();
        latency_ms(
            || token.stop(),
            || assert!(latency_loop(&token, length).is_err()),
        )
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .build()
        .unwrap();
    let rayon = median_max(|| {
        let flag = AtomicBool::new(false);
        latency_ms(
            || flag.store(true, Ordering::Relaxed),
            || {
                pool.install(|| {
                    let result = (0..u32::MAX).into_par_iter().try_for_each(|_| {
                        if flag.load(Ordering::Relaxed) {
                            return Err(());
                        }
                        iteration(length, || flag.load(Ordering::Relaxed));
                        Ok(())
                    });
                    assert!(result.is_err());
                })
            },
        )
    });
    print_table(
        "stop_latency (thread): stop() to return, 8 workers, 2 ms iterations checking every 50 us",
        "ms",
        true,
        &[
            latency_row("failfast Loop + StopToken", ours),
            latency_row("failfast #[fail_fast(stop)], range", macro_loop),
            latency_row("rayon par_iter + AtomicBool", rayon),
        ],
    );

    let rt = runtime();
    let ours = median_max(|| {
        let token = StopToken::new();
        latency_ms(
            || token.stop(),
            || {
                let result: Result<(), Stopped> = rt.block_on(
                    failfast::future::Loop::new(WORKERS)
                        .stop(&token)
                        .try_for_each(0.., async |_| {
                            tokio::time::sleep(length).await;
                            Ok(())
                        }),
                );
                assert!(result.is_err());
            },
        )
    });
    let tokio_token = median_max(|| {
        let token = tokio_util::sync::CancellationToken::new();
        latency_ms(
            || token.cancel(),
            || {
                use futures::{StreamExt, TryStreamExt};
                let result = rt.block_on(
                    futures::stream::iter(0..u64::MAX)
                        .map(Ok)
                        .try_for_each_concurrent(WORKERS, |_| async {
                            tokio::select! {
                                _ = token.cancelled() => Err(()),
                                _ = tokio::time::sleep(length) => Ok(()),
                            }
                        }),
                );
                assert!(result.is_err());
            },
        )
    });
    print_table(
        "stop_latency (async): stop() to return, 8 in flight, 2 ms sleeps",
        "ms",
        true,
        &[
            latency_row("failfast future::Loop + StopToken", ours),
            latency_row("tfec + CancellationToken select!", tokio_token),
        ],
    );
}

/// CPU time of every thread of the process so far, in nanoseconds (Linux: the first field of
/// each thread's `schedstat`); `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

/// Runs `run_loop` while another thread waits 1 s and then calls `stop`: the CPU time the
/// process used during that second (ms), and `stop()` to return (ms).
fn idle(stop: impl Fn() + Sync, run_loop: impl FnOnce()) -> (f64, f64) {
    let cpu = std::sync::Mutex::new(0.0);
    let stopped_at = std::sync::Mutex::new(None);
    let returned = std::thread::scope(|s| {
        s.spawn(|| {
            // The loop's threads start and settle first.
            std::thread::sleep(Duration::from_millis(50));
            let before = cpu_ns();
            std::thread::sleep(Duration::from_secs(1));
            if let (Some(before), Some(after)) = (before, cpu_ns()) {
                *cpu.lock().unwrap() = (after - before) as f64 / 1e6;
            }
            *stopped_at.lock().unwrap() = Some(Instant::now());
            stop();
        });
        run_loop();
        Instant::now()
    });
    let stopped_at = stopped_at.into_inner().unwrap().expect("stopped");
    let latency = returned.saturating_duration_since(stopped_at).as_secs_f64() * 1e3;
    (cpu.into_inner().unwrap(), latency)
}

/// `stop_idle`: 8 iterations that all wait for something that never comes (the thread loop's
/// wait on the token's condition, the async loop's never-resolving futures).
fn stop_idle() {
    let token = StopToken::new();
    let (cpu, latency) = idle(
        || token.stop(),
        || {
            let result: Result<(), Stopped> =
                Loop::new(WORKERS)
                    .stop(&token)
                    .try_for_each(0..WORKERS, |_| {
                        // Blocked until the stop: no thread polls.
                        token.wait();
                        Ok(())
                    });
            assert!(result.is_err());
        },
    );
    println!("\nstop_idle (thread): 8 iterations blocked until the stop");
    println!("  CPU used over a 1 s wait: {cpu:.2} ms; stop() to return: {latency:.3} ms");

    let rt = runtime();
    let token = StopToken::new();
    let (cpu, latency) = idle(
        || token.stop(),
        || {
            let result: Result<(), Stopped> = rt.block_on(
                failfast::future::Loop::new(WORKERS)
                    .stop(&token)
                    .try_for_each(0.., async |_| {
                        std::future::pending::<()>().await;
                        Ok(())
                    }),
            );
            assert!(result.is_err());
        },
    );
    println!("stop_idle (async): 8 futures that never resolve");
    println!("  CPU used over a 1 s wait: {cpu:.2} ms; stop() to return: {latency:.3} ms");
}

/// `timeout`: `timeout(100 ms)` over 5 ms iterations that check every 50 us; how long after
/// the 100 ms the loop returns.
fn timeout() {
    let limit = Duration::from_millis(100);
    let late = |run: &dyn Fn()| {
        median_max(|| {
            let begin = Instant::now();
            run();
            (begin.elapsed().saturating_sub(limit)).as_secs_f64() * 1e3
        })
    };
    let ours = late(&|| {
        let result: Result<(), Stopped> =
            Loop::new(WORKERS).timeout(limit).try_for_each(0.., |_| {
                iteration(Duration::from_millis(5), cancelled);
                Ok(())
            });
        assert!(result.unwrap_err().timed_out());
    });
    print_table(
        "timeout: timeout(100 ms) over 5 ms iterations: returned after the 100 ms by",
        "ms",
        true,
        &[latency_row("failfast Loop::timeout", ours)],
    );
}

/// A cheap body: the items' sum, kept from being optimized away.
fn tiny(sum: &AtomicU64) -> impl Fn(u64) -> Result<(), Stopped> + Sync + '_ {
    move |n| {
        if black_box(n) % 1024 == 0 {
            sum.fetch_add(n, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// The median of 151 runs of each of `runs`, taking turns (each goes first in its share of
/// the rounds) after a warm-up: run back to back, the second of two loops measured slower
/// here whichever it was (the pool's threads had begun to go to sleep). 151, not 21: the same
/// two loops (`overhead_shared` with the token's check taken out of the engine) measured -1
/// to +10% apart over three runs of the bench with 21, too coarse for a bound of 2%, and 0 to
/// +4% over four with 151.
fn taking_turns<const N: usize>(mut runs: [&mut dyn FnMut() -> f64; N]) -> [f64; N] {
    warm_median(1, || runs.iter_mut().map(|run| run()).sum());
    let mut samples: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
    for round in 0..151 {
        for turn in 0..N {
            let which = (round + turn) % N;
            samples[which].push(runs[which]());
        }
    }
    samples.map(|mut samples| {
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    })
}

fn paired(mut with: impl FnMut() -> f64, mut without: impl FnMut() -> f64) -> (f64, f64) {
    let [with, without] = taking_turns([&mut with, &mut without]);
    (with, without)
}

fn overhead_rows(title: &str, unit: &str, (with, without): (f64, f64)) {
    print_table(
        title,
        unit,
        true,
        &[
            Row {
                name: "failfast, stop token never stopped",
                figure: with,
                detail: String::new(),
            },
            Row {
                name: "failfast, no stop token",
                figure: without,
                detail: String::new(),
            },
        ],
    );
}

/// `overhead`: the runtime API's loops with a stop token that is never stopped, and the same
/// `Loop` without one; the free function beside them, which is the same engine reached with
/// no `Loop` value (its difference from the `Loop` without a token is the builder's, not the
/// token's).
fn overhead() {
    let never = StopToken::new();
    #[derive(Clone, Copy)]
    enum Api {
        LoopWithStop,
        Loop,
        Function,
    }
    let per_call = |api: Api, items: u64, calls: usize| {
        let sum = AtomicU64::new(0);
        let begin = Instant::now();
        for _ in 0..calls {
            let result = match api {
                Api::LoopWithStop => Loop::new(WORKERS)
                    .stop(&never)
                    .try_for_each(0..items, tiny(&sum)),
                Api::Loop => Loop::new(WORKERS).try_for_each(0..items, tiny(&sum)),
                Api::Function => failfast::try_for_each(0..items, WORKERS, tiny(&sum)),
            };
            result.unwrap();
        }
        black_box(sum.into_inner());
        begin.elapsed().as_secs_f64() * 1e6 / calls as f64
    };
    for (title, items, calls) in [
        (
            "overhead: Loop::try_for_each, 8 items per loop, us per loop",
            8,
            200,
        ),
        (
            "overhead: Loop::try_for_each, 200,000 items per loop, us per loop",
            200_000,
            2,
        ),
    ] {
        // The first loop twice: how far apart two runs of the same loop read here.
        let [with, again, without, function] = taking_turns([
            &mut || per_call(Api::LoopWithStop, items, calls),
            &mut || per_call(Api::LoopWithStop, items, calls),
            &mut || per_call(Api::Loop, items, calls),
            &mut || per_call(Api::Function, items, calls),
        ]);
        print_table(
            title,
            "us",
            true,
            &[
                Row {
                    name: "Loop, stop token never stopped",
                    figure: with,
                    detail: String::new(),
                },
                Row {
                    name: "the same again (noise)",
                    figure: again,
                    detail: String::new(),
                },
                Row {
                    name: "Loop, no stop token",
                    figure: without,
                    detail: String::new(),
                },
                Row {
                    name: "try_for_each (no Loop)",
                    figure: function,
                    detail: String::new(),
                },
            ],
        );
    }
}

/// The sum of `items`' multiples of 1024, by the macro's indexed path, with a stop token.
#[failfast::fail_fast(workers = 8, stop = stop)]
fn sum_with_stop(items: &[u64], stop: &StopToken, sum: &AtomicU64) -> Result<(), Stopped> {
    for &n in items {
        tiny(sum)(n)?;
    }
    Ok(())
}

/// [`sum_with_stop`] without the token.
#[failfast::fail_fast(workers = 8)]
fn sum_without(items: &[u64], sum: &AtomicU64) -> Result<(), Stopped> {
    for &n in items {
        tiny(sum)(n)?;
    }
    Ok(())
}

/// [`sum_with_stop`] over a lazy `Send` input, which workers pull in turns (and one holds
/// alone while the items are this small).
#[failfast::fail_fast(workers = 8, stop = stop)]
fn lazy_sum_with_stop(items: &[u64], stop: &StopToken, sum: &AtomicU64) -> Result<(), Stopped> {
    for n in items.iter().copied().map(black_box) {
        tiny(sum)(n)?;
    }
    Ok(())
}

/// [`lazy_sum_with_stop`] without the token.
#[failfast::fail_fast(workers = 8)]
fn lazy_sum_without(items: &[u64], sum: &AtomicU64) -> Result<(), Stopped> {
    for n in items.iter().copied().map(black_box) {
        tiny(sum)(n)?;
    }
    Ok(())
}

/// `overhead` on the macro's shared path: a lazy input of 2,000,000 items.
fn overhead_shared() {
    overhead_of_macro(
        "overhead: #[fail_fast] over a lazy 2,000,000-item input, ms per loop",
        lazy_sum_with_stop,
        lazy_sum_without,
    );
}

/// `overhead` on the macro's indexed path: a slice of 2,000,000 items split by index.
fn overhead_indexed() {
    overhead_of_macro(
        "overhead: #[fail_fast] over a 2,000,000-item slice, ms per loop",
        sum_with_stop,
        sum_without,
    );
}

/// One macro loop over 2,000,000 items with a never-stopped token beside the same loop
/// without one, in alternating pairs.
fn overhead_of_macro(
    title: &str,
    with_stop: fn(&[u64], &StopToken, &AtomicU64) -> Result<(), Stopped>,
    without: fn(&[u64], &AtomicU64) -> Result<(), Stopped>,
) {
    let never = StopToken::new();
    let items: Vec<u64> = (0..2_000_000).collect();
    let once = |stop: bool| {
        let sum = AtomicU64::new(0);
        let begin = Instant::now();
        if stop {
            with_stop(&items, &never, &sum).unwrap();
        } else {
            without(&items, &sum).unwrap();
        }
        black_box(sum.into_inner());
        begin.elapsed().as_secs_f64() * 1e3
    };
    overhead_rows(title, "ms", paired(|| once(true), || once(false)));
}

fn main() {
    run_scenarios(&[
        ("stop_latency", stop_latency),
        ("stop_idle", stop_idle),
        ("timeout", timeout),
        ("overhead", overhead),
        ("overhead_indexed", overhead_indexed),
        ("overhead_shared", overhead_shared),
    ]);
}
