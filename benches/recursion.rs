//! `recursive_walk`: a recursive walk of a tree (depth 5, fanout 4: 1,024 leaves) with one
//! `#[fail_fast]` loop over each node's children, beside `rayon::scope` recursion on a pool
//! of the same size. Leaves either compute for about 20 µs or sleep 1 ms.
//!
//! `recursive_comb`: an unbalanced tree, a spine 15 levels deep with 7 leaves of a 1 ms sleep
//! at each level, walked by a `for` loop, by a `while let` loop over the same children, and by
//! `rayon::scope`, with 4 workers. A nested `while let` run's head is evaluated only by the
//! iteration that reached it, which runs a value itself when no thread is free: threads that
//! finish meanwhile wait for it.
//!
//! Besides the wall time it prints how many distinct threads ran leaves, the peak number of
//! process threads while the walk runs (above the count just before it; other scenarios'
//! pools starting or ending can move it by a few), and the most leaves that ran at the same
//! moment.
mod common;

use common::{in_turns, print_table, run_scenarios, Row};
use failfast::fail_fast;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Node {
    children: Vec<Node>,
}

fn tree(depth: u32, fanout: usize) -> Node {
    Node {
        children: if depth == 0 {
            Vec::new()
        } else {
            (0..fanout).map(|_| tree(depth - 1, fanout)).collect()
        },
    }
}

#[derive(Clone, Copy)]
enum Leaf {
    Compute,
    Sleep,
}

/// Counts the leaves running at once, and the most there ever were.
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

static IN_FLIGHT: InFlight = InFlight {
    now: AtomicUsize::new(0),
    most: AtomicUsize::new(0),
};

/// The threads that ran a leaf.
static RAN_ON: std::sync::Mutex<Vec<std::thread::ThreadId>> = std::sync::Mutex::new(Vec::new());

fn leaf(kind: Leaf) {
    {
        let mut ran_on = RAN_ON.lock().unwrap();
        let me = std::thread::current().id();
        if !ran_on.contains(&me) {
            ran_on.push(me);
        }
    }
    let now = IN_FLIGHT.now.fetch_add(1, Ordering::SeqCst) + 1;
    IN_FLIGHT.most.fetch_max(now, Ordering::SeqCst);
    match kind {
        Leaf::Compute => {
            // About 20 µs of arithmetic.
            let mut x = 1u64;
            for _ in 0..16_000 {
                x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
            black_box(x);
        }
        Leaf::Sleep => std::thread::sleep(Duration::from_millis(1)),
    }
    IN_FLIGHT.now.fetch_sub(1, Ordering::SeqCst);
}

#[fail_fast(workers = workers)]
fn walk(node: &Node, kind: Leaf, workers: usize) -> Result<(), ()> {
    for child in &node.children {
        if child.children.is_empty() {
            leaf(kind);
        } else {
            walk(child, kind, workers)?;
        }
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn walk_while_let(node: &Node, kind: Leaf, workers: usize) -> Result<(), ()> {
    let mut children = node.children.iter();
    while let Some(child) = children.next() {
        if child.children.is_empty() {
            leaf(kind);
        } else {
            walk_while_let(child, kind, workers)?;
        }
    }
    Ok(())
}

fn walk_rayon<'s>(scope: &rayon::Scope<'s>, node: &'s Node, kind: Leaf) {
    for child in &node.children {
        scope.spawn(move |scope| {
            if child.children.is_empty() {
                leaf(kind);
            } else {
                walk_rayon(scope, child, kind);
            }
        });
    }
}

fn process_threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs `f` while another thread samples the process's thread count; returns the wall time
/// of `f`, the peak count above the count before it, and the most leaves at once.
fn measure(f: impl FnOnce()) -> (Duration, usize, usize, usize) {
    let stop = AtomicBool::new(false);
    let peak = AtomicUsize::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(process_threads(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        // The sampler itself is running from here on: the baseline counts it.
        std::thread::sleep(Duration::from_millis(2));
        let before = process_threads();
        IN_FLIGHT.most.store(0, Ordering::SeqCst);
        RAN_ON.lock().unwrap().clear();
        let begin = Instant::now();
        f();
        let took = begin.elapsed();
        stop.store(true, Ordering::Relaxed);
        let rise = peak.load(Ordering::Relaxed).saturating_sub(before);
        let ran_on = RAN_ON.lock().unwrap().len();
        (took, rise, IN_FLIGHT.most.load(Ordering::SeqCst), ran_on)
    })
}

/// Runs of each contender, taken in turns (see `common::in_turns`), when a run takes about
/// a second.
const ROUNDS: usize = 7;
/// Runs of each contender when a run takes about 10 ms: a median of 7 such runs moved by 3%
/// from one `cargo bench` to the next, more than the differences it is meant to show.
const SHORT_ROUNDS: usize = 41;

/// Each contender's median run by wall time, with its thread and leaf figures, from its runs
/// taken [`in_turns`].
fn medians<const N: usize>(runs: &[Vec<(Duration, usize, usize, usize)>; N]) -> [Row; N] {
    runs.each_ref().map(|runs| {
        let rounds = runs.len();
        let mut runs = runs.clone();
        runs.sort_by_key(|r| r.0);
        let peak_threads = runs.iter().map(|r| r.1).max().unwrap_or(0);
        let most = runs.iter().map(|r| r.2).max().unwrap_or(0);
        let ran_on = runs.iter().map(|r| r.3).max().unwrap_or(0);
        Row {
            name: "",
            figure: runs[rounds / 2].0.as_secs_f64() * 1e3,
            detail: format!(
                "threads that ran leaves {ran_on}, process threads +{peak_threads:<3} most leaves at once {most}"
            ),
        }
    })
}

fn scenario(kind: Leaf, workers: usize) {
    let root = tree(5, 4);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .unwrap();
    // Inside a span, with a subscriber: every run captures the span, and pool threads enter
    // it for each visit.
    let subscriber = tracing::Dispatch::new(tracing_subscriber::registry());
    let rounds = match kind {
        Leaf::Compute => SHORT_ROUNDS,
        Leaf::Sleep => ROUNDS,
    };
    let runs = in_turns(
        rounds,
        [
            &mut || measure(|| walk(&root, kind, workers).unwrap()),
            &mut || {
                tracing::dispatcher::with_default(&subscriber, || {
                    let _request = tracing::info_span!("request", id = 1).entered();
                    measure(|| walk(&root, kind, workers).unwrap())
                })
            },
            &mut || measure(|| pool.install(|| rayon::scope(|s| walk_rayon(s, &root, kind)))),
        ],
    );
    let [ours, in_a_span, theirs] = medians(&runs);
    let (what, ideal) = match kind {
        Leaf::Compute => ("~20 us of work", String::new()),
        Leaf::Sleep => (
            "1 ms sleep",
            format!(", ideal {} ms", 1024 / workers as u64),
        ),
    };
    print_table(
        &format!(
            "recursive_walk: depth 5, fanout 4 (1,024 leaves of {what}), {workers} workers{ideal}; median of {rounds}, in turns"
        ),
        "ms",
        true,
        &[
            Row {
                name: "failfast (macro, recursive)",
                ..ours
            },
            Row {
                name: "failfast, in a span (subscriber)",
                ..in_a_span
            },
            Row {
                name: "rayon::scope (pool of same size)",
                ..theirs
            },
        ],
    );
    println!("  {}", paired(&runs[0], &runs[2]));
}

/// failfast's time over rayon's, round by round: the two ran one after the other in each
/// round, so a machine that drifts (a neighbour, the CPU's clock) moves both alike, and the
/// ratios' spread says how far apart the medians of one run may fall by chance.
fn paired(
    ours: &[(Duration, usize, usize, usize)],
    theirs: &[(Duration, usize, usize, usize)],
) -> String {
    let mut ratios: Vec<f64> = ours
        .iter()
        .zip(theirs)
        .map(|(ours, theirs)| ours.0.as_secs_f64() / theirs.0.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    let faster = ratios.iter().filter(|&&r| r < 1.0).count();
    format!(
        "failfast / rayon::scope, round by round: median {:.3}x, middle half {:.3}x to {:.3}x; failfast faster in {faster} of {n} rounds",
        ratios[n / 2],
        ratios[n / 4],
        ratios[n * 3 / 4],
    )
}

/// A spine `depth` levels deep: each level has `leaves` leaves and one deeper child.
fn comb(depth: u32, leaves: usize) -> Node {
    let mut children: Vec<Node> = (0..leaves)
        .map(|_| Node {
            children: Vec::new(),
        })
        .collect();
    if depth > 1 {
        children.push(comb(depth - 1, leaves));
    }
    Node { children }
}

fn comb_scenario() {
    const DEPTH: u32 = 15;
    const LEAVES: usize = 7;
    const WORKERS: usize = 4;
    let root = comb(DEPTH, LEAVES);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WORKERS)
        .build()
        .unwrap();
    let kind = Leaf::Sleep;
    let [by_for, by_while_let, theirs] = medians(&in_turns(
        ROUNDS,
        [
            &mut || measure(|| walk(&root, kind, WORKERS).unwrap()),
            &mut || measure(|| walk_while_let(&root, kind, WORKERS).unwrap()),
            &mut || measure(|| pool.install(|| rayon::scope(|s| walk_rayon(s, &root, kind)))),
        ],
    ));
    let ideal = DEPTH as f64 * LEAVES as f64 / WORKERS as f64;
    print_table(
        &format!(
            "recursive_comb: a spine {DEPTH} levels deep, {LEAVES} leaves of 1 ms sleep a level, {WORKERS} workers (ideal {ideal:.1} ms); median of {ROUNDS}, in turns"
        ),
        "ms",
        true,
        &[
            Row {
                name: "failfast, for",
                ..by_for
            },
            Row {
                name: "failfast, while let",
                ..by_while_let
            },
            Row {
                name: "rayon::scope (pool of same size)",
                ..theirs
            },
        ],
    );
}

fn main() {
    run_scenarios(&[
        ("recursive_walk compute 2", || scenario(Leaf::Compute, 2)),
        ("recursive_walk compute 8", || scenario(Leaf::Compute, 8)),
        ("recursive_walk sleep 2", || scenario(Leaf::Sleep, 2)),
        ("recursive_walk sleep 8", || scenario(Leaf::Sleep, 8)),
        ("recursive_comb", comb_scenario),
    ]);
}
