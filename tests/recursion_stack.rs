//! A deep recursion does not overflow: a comb-shaped walk (each level a leaf and one deeper
//! child) 2,000 levels deep, which the sequential function handles on the main thread's
//! 8 MiB stack, runs on every path with 1, 2, 4 and 8 workers; and the stack one recursion
//! level of a parallel loop costs, beside `rayon::scope` and the sequential loop, measured
//! as the distance between a local of one level and of the next on the same thread.
mod tree;

use failfast::fail_fast;
use std::hint::black_box;
use std::sync::Mutex;
use std::thread::ThreadId;
use tree::{on_main_stack, MAIN_STACK};

/// Where each level's local was: (thread, depth, address).
struct Marks(Mutex<Vec<(ThreadId, usize, usize)>>);

impl Marks {
    fn new() -> Marks {
        Marks(Mutex::new(Vec::new()))
    }

    fn mark(&self, depth: usize) {
        let local = black_box(0u8);
        let at = black_box(&local) as *const u8 as usize;
        self.0
            .lock()
            .unwrap()
            .push((std::thread::current().id(), depth, at));
    }

    /// The median distance between a level's local and the next level's, over the pairs of
    /// consecutive levels that ran on the same thread, and how many pairs there were.
    fn per_level(&self) -> (usize, usize) {
        let mut marks = self.0.lock().unwrap().clone();
        marks.sort_by_key(|&(thread, depth, _)| (format!("{thread:?}"), depth));
        let mut steps: Vec<usize> = marks
            .windows(2)
            .filter(|pair| pair[0].0 == pair[1].0 && pair[0].1 + 1 == pair[1].1)
            .map(|pair| pair[0].2.abs_diff(pair[1].2))
            .collect();
        steps.sort_unstable();
        (
            steps.get(steps.len() / 2).copied().unwrap_or(0),
            steps.len(),
        )
    }
}

/// One level's iteration: child 0 is a leaf, child 1 goes one level deeper.
fn level(child: usize, depth: usize, max: usize, marks: &Marks, deeper: impl FnOnce()) {
    if child == 1 {
        marks.mark(depth);
        if depth < max {
            deeper();
        }
    } else {
        black_box(depth);
    }
}

#[fail_fast(workers = workers)]
fn comb_indexed(depth: usize, max: usize, marks: &Marks, workers: usize) -> Result<(), ()> {
    for child in 0..2 {
        level(child, depth, max, marks, || {
            comb_indexed(depth + 1, max, marks, workers).unwrap()
        });
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn comb_shared(depth: usize, max: usize, marks: &Marks, workers: usize) -> Result<(), ()> {
    for child in (0..2).map(black_box) {
        level(child, depth, max, marks, || {
            comb_shared(depth + 1, max, marks, workers).unwrap()
        });
    }
    Ok(())
}

fn comb_fed(depth: usize, max: usize, marks: &Marks, workers: usize) -> Result<(), ()> {
    failfast::try_for_each(0..2, workers, |child| {
        level(child, depth, max, marks, || {
            comb_fed(depth + 1, max, marks, workers).unwrap()
        });
        Ok(())
    })
}

fn comb_sequential(depth: usize, max: usize, marks: &Marks) -> Result<(), ()> {
    for child in 0..2 {
        level(child, depth, max, marks, || {
            comb_sequential(depth + 1, max, marks).unwrap()
        });
    }
    Ok(())
}

fn comb_rayon(depth: usize, max: usize, marks: &Marks) {
    rayon::scope(|scope| {
        for child in 0..2 {
            scope.spawn(move |_| {
                level(child, depth, max, marks, || {
                    comb_rayon(depth + 1, max, marks)
                })
            });
        }
    });
}

type Comb = fn(usize, usize, &Marks, usize) -> Result<(), ()>;

/// Each path, with the most stack one of its levels may cost, in debug and release builds:
/// `rayon::scope`'s level, the goal (the paths measure 2,064 to 2,144 B in a debug build, 368
/// to 416 B optimised; `rayon::scope`'s are 2,160 and 416 B). With `workers = 1` a `Send` input's
/// recursion runs on the calling thread alone, so its 2,000 levels must fit the main thread's
/// 8 MiB (4,194 B a level, less the thread's own frames); the fed path's run on pool threads,
/// which have twice that. A regression past these fails here before it overflows a user's
/// stack.
const PATHS: [(&str, Comb, [usize; 2]); 3] = [
    ("indexed", comb_indexed, [2_160, 416]),
    ("shared", comb_shared, [2_160, 416]),
    ("fed", comb_fed, [2_160, 416]),
];

fn process_threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// One test function: only its own pool threads run in this process while it counts them.
#[test]
fn a_comb_2000_levels_deep_runs_on_every_path_with_any_workers() {
    for workers in [1, 2, 4, 8] {
        for (path, comb, ceilings) in PATHS {
            let before = process_threads();
            let marks = Marks::new();
            on_main_stack(|| assert_eq!(comb(1, 2_000, &marks, workers), Ok(())));
            assert_eq!(
                marks.0.lock().unwrap().len(),
                2_000,
                "{path}, {workers} workers"
            );
            let (per_level, pairs) = marks.per_level();
            println!("{path}, {workers} workers: {per_level} bytes a level ({pairs} pairs)");
            let ceiling = ceilings[usize::from(!cfg!(debug_assertions))];
            assert!(
                pairs > 0,
                "{path}, {workers} workers: no two levels on one thread"
            );
            assert!(
                per_level <= ceiling,
                "{path}, {workers} workers: {per_level} bytes a level, more than {ceiling}"
            );
            // Pool threads outlive the walk (they idle for a while); the main-stack thread
            // has left.
            let rise = process_threads().saturating_sub(before);
            assert!(
                rise <= workers,
                "{path}, {workers} workers: +{rise} threads"
            );
        }
    }

    // The same measure for the sequential function and for `rayon::scope` recursion (one
    // scope per level, as the loop is one per level), for the README's table.
    let marks = Marks::new();
    on_main_stack(|| comb_sequential(1, 300, &marks)).unwrap();
    println!("sequential: {} bytes a level", marks.per_level().0);
    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(MAIN_STACK)
            .build()
            .unwrap();
        let marks = Marks::new();
        pool.install(|| comb_rayon(1, 300, &marks));
        println!(
            "rayon::scope, {threads} threads: {} bytes a level",
            marks.per_level().0
        );
    }
}
