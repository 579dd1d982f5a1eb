//! Cold starts: the first call of a process, and a call after an idle pause.
//!
//! The warm scenarios of `compare` run every contender for 0.3 s before they measure, which
//! hides what a script meets: it runs one loop and exits, so its pool threads are new, and
//! its first milliseconds decide its speed. Here every "cold" figure is the first call of a
//! fresh process (this binary re-executes itself, one child per figure), and every "idle"
//! figure is a call made after a 50 ms pause in a process whose pool is warm.
//!
//! `cargo bench --bench cold_start` prints, per job and contender, the median and the worst
//! of 15 figures, and how many of them took over 1.25x the sequential time / 2 (2 workers).

mod common;

use common::{median, print_table, Row};
use failfast::fail_fast;
use rayon::prelude::*;
use std::cell::Cell;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

/// Figures per row: each cold one is a process of its own.
const RUNS: usize = 15;
/// Items per call.
const ITEMS: u64 = 2_000;
/// The pause before each "idle" figure.
const PAUSE: Duration = Duration::from_millis(50);
/// The environment variable that turns this binary into a child measuring one thing.
const CHILD: &str = "FAILFAST_COLD_START_CHILD";

/// An item's arithmetic: `rounds` dependent multiply-adds, about 0.3 ns each.
fn work(n: u64, rounds: u64) -> u64 {
    let mut x = n;
    for _ in 0..rounds {
        x = black_box(
            x.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        );
    }
    x
}

fn sequential(items: &[u64], rounds: u64) -> Result<(), ()> {
    for n in items {
        black_box(work(*n, rounds));
    }
    Ok(())
}

/// The slice itself: split by index.
#[fail_fast(workers = 2)]
fn failfast_slice(items: &[u64], rounds: u64) -> Result<(), ()> {
    for n in items {
        black_box(work(*n, rounds));
    }
    Ok(())
}

/// A lazy `Send` iterator: shared by the workers.
#[fail_fast(workers = 2)]
fn failfast_lazy(items: &[u64], rounds: u64) -> Result<(), ()> {
    for n in items.iter().filter(|n| **n != u64::MAX) {
        black_box(work(*n, rounds));
    }
    Ok(())
}

/// An iterator that is not `Send` (its closure captures a `Cell`): fed by the caller.
#[fail_fast(workers = 2)]
fn failfast_fed(items: &[u64], rounds: u64) -> Result<(), ()> {
    let seen = Cell::new(0u64);
    for n in items.iter().inspect(|_| seen.set(seen.get() + 1)) {
        black_box(work(*n, rounds));
    }
    Ok(())
}

/// rayon's global pool, built lazily inside the first call, as a script meets it.
fn rayon(items: &[u64], rounds: u64) -> Result<(), ()> {
    items.par_iter().try_for_each(|n| {
        black_box(work(*n, rounds));
        Ok(())
    })
}

/// One call of a contender over the items, each item taking the rounds given.
type Call = fn(&[u64], u64) -> Result<(), ()>;

const CONTENDERS: [(&str, Call); 5] = [
    ("failfast, slice (split)", failfast_slice),
    ("failfast, lazy iterator (shared)", failfast_lazy),
    ("failfast, not Send (fed)", failfast_fed),
    ("rayon par_iter (global pool)", rayon),
    ("sequential", sequential),
];
/// Where the sequential loop is in [`CONTENDERS`].
const SEQUENTIAL: usize = 4;

fn time_ms(f: impl FnOnce()) -> f64 {
    let begin = Instant::now();
    f();
    begin.elapsed().as_secs_f64() * 1e3
}

/// In a child: runs what `spec` ("cold|idle contender rounds") names, prints the figures.
fn child(spec: &str) {
    let mut words = spec.split(' ');
    let (mode, contender, rounds) = (
        words.next().unwrap(),
        words.next().unwrap().parse::<usize>().unwrap(),
        words.next().unwrap().parse::<u64>().unwrap(),
    );
    let call = CONTENDERS[contender].1;
    let items: Vec<u64> = (0..ITEMS).collect();
    let figures: Vec<f64> = if mode == "cold" {
        vec![time_ms(|| call(&items, rounds).unwrap())]
    } else {
        for _ in 0..5 {
            call(&items, rounds).unwrap();
        }
        (0..RUNS)
            .map(|_| {
                std::thread::sleep(PAUSE);
                time_ms(|| call(&items, rounds).unwrap())
            })
            .collect()
    };
    let figures: Vec<String> = figures.iter().map(f64::to_string).collect();
    println!("{}", figures.join(" "));
}

fn run_child(mode: &str, contender: usize, rounds: u64) -> Vec<f64> {
    let out = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, format!("{mode} {contender} {rounds}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "a child failed: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect()
}

/// The rounds that make an item take `us` microseconds here, from a warm sequential run.
fn rounds_for(us: f64) -> u64 {
    let items: Vec<u64> = (0..ITEMS).collect();
    let probe = 10_000;
    let ms = median(5, || time_ms(|| sequential(&items, probe).unwrap()));
    let per_round_us = ms * 1e3 / (ITEMS as f64 * probe as f64);
    (us / per_round_us).round() as u64
}

fn scenario(job: &str, item_us: f64) {
    let rounds = rounds_for(item_us);
    for mode in ["cold", "idle"] {
        let mut figures: Vec<Vec<f64>> = Vec::new();
        for contender in 0..CONTENDERS.len() {
            let mut got = if mode == "cold" {
                (0..RUNS)
                    .flat_map(|_| run_child(mode, contender, rounds))
                    .collect::<Vec<f64>>()
            } else {
                run_child(mode, contender, rounds)
            };
            got.sort_by(f64::total_cmp);
            figures.push(got);
        }
        let ideal = figures[SEQUENTIAL][RUNS / 2] / 2.0;
        let rows: Vec<Row> = CONTENDERS
            .iter()
            .zip(&figures)
            .map(|((name, _), got)| Row {
                name,
                figure: got[RUNS / 2],
                detail: format!(
                    "worst {:.1}, over 1.25x of {ideal:.1}: {} of {RUNS}",
                    got[RUNS - 1],
                    got.iter().filter(|f| **f > 1.25 * ideal).count()
                ),
            })
            .collect();
        let when = if mode == "cold" {
            "first call of a fresh process"
        } else {
            "a call after a 50 ms pause, warm process"
        };
        print_table(
            &format!(
                "cold_start {job} ({mode}): 2,000 items of {item_us:.0} us, 2 workers, {when}: \
                 median of {RUNS}"
            ),
            "ms",
            true,
            &rows,
        );
    }
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        child(&spec);
        return;
    }
    common::run_scenarios(&[
        ("cold_start_20ms", || scenario("20ms", 10.0)),
        ("cold_start_heavy", || scenario("cpu_heavy", 50.0)),
    ]);
}
