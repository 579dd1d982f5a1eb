//! What every benchmark binary shares: peak heap counting, medians, the side-by-side table,
//! and running the scenarios a command line names.
#![allow(dead_code)] // each binary uses its own part

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Peak heap memory, for the scenarios over huge inputs.

/// Counts heap bytes, but only while [`peak_during`] measures: outside it every allocation
/// costs one relaxed load more than the system allocator's, so that the timings of
/// contenders that allocate per item are not taxed by the counting.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed while counting; below zero when memory from before the
/// measurement is freed during it.
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to `System`, only counting the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let size = layout.size() as isize;
            let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            CURRENT.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the peak heap growth during it, in bytes.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    CURRENT.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let result = f();
    COUNTING.store(false, Ordering::SeqCst);
    (result, PEAK.load(Ordering::SeqCst).max(0) as usize)
}

// ---------------------------------------------------------------------------------------
// Figures and tables.

/// The median of `runs` measurements.
pub fn median(runs: usize, mut measure: impl FnMut() -> f64) -> f64 {
    let mut samples: Vec<f64> = (0..runs).map(|_| measure()).collect();
    samples.sort_by(f64::total_cmp);
    samples[runs / 2]
}

/// `runs` measurements of each contender, taken in turns (one of each, then again), after one
/// warm-up run of each (which starts pools that have not started yet): a machine that speeds
/// up or slows down during the scenario moves every contender alike.
pub fn in_turns<T, const N: usize>(
    runs: usize,
    mut contenders: [&mut dyn FnMut() -> T; N],
) -> [Vec<T>; N] {
    for run in contenders.iter_mut() {
        run();
    }
    let mut taken: [Vec<T>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    for _ in 0..runs {
        for (run, taken) in contenders.iter_mut().zip(&mut taken) {
            taken.push(run());
        }
    }
    taken
}

/// The median of each contender's measurements, taken [`in_turns`].
pub fn medians_in_turns<const N: usize>(
    runs: usize,
    contenders: [&mut dyn FnMut() -> f64; N],
) -> [f64; N] {
    in_turns(runs, contenders).map(|mut samples| {
        samples.sort_by(f64::total_cmp);
        samples[runs / 2]
    })
}

/// How long a contender runs before it is measured, in the scenarios whose two threads keep
/// both cores busy.
///
/// On the 2-core VM where the README's figures are taken, the kernel leaves a woken thread on
/// the busy core, behind the thread that woke it, for about the first 100 ms of such a phase
/// (it packs threads onto busy cores until their load says otherwise). Two-thread loops read
/// about 2x slower meanwhile, rayon's as much as ours: in fresh processes, `par_iter` over
/// `cpu_tiny`'s 2,000,000 items ran its first 80 to 105 calls at about 0.5 ns/item and the
/// rest at 0.23. A warm-up of one call left each table's first rows paying it.
pub const WARM_UP: Duration = Duration::from_millis(300);

/// The median of `runs` measurements, taken after `measure` has run for [`WARM_UP`].
pub fn warm_median(runs: usize, mut measure: impl FnMut() -> f64) -> f64 {
    let begin = Instant::now();
    while begin.elapsed() < WARM_UP {
        measure();
    }
    median(runs, measure)
}

/// One contender's figure in a table; the first row is `failfast`'s.
pub struct Row {
    pub name: &'static str,
    pub figure: f64,
    pub detail: String,
}

/// Prints the rows with each figure's ratio to the first (`failfast`'s).
pub fn print_table(title: &str, unit: &str, lower_is_better: bool, rows: &[Row]) {
    println!("\n{title}");
    let ours = rows[0].figure;
    for row in rows {
        let ratio = if lower_is_better {
            row.figure / ours
        } else {
            ours / row.figure
        };
        println!(
            "  {:<34} {:>10.2} {unit:<8} {:>6.2}x failfast's  {}",
            row.name, row.figure, ratio, row.detail
        );
    }
}

/// Runs the scenarios whose names contain one of the command line's words (all of them with
/// none: `cargo bench` passes only `--bench`), and says how long they took in all.
pub fn run_scenarios(scenarios: &[(&str, fn())]) {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let begin = Instant::now();
    for &(name, scenario) in scenarios {
        if filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())) {
            scenario();
        }
    }
    println!("\nall scenarios in {:.1} s", begin.elapsed().as_secs_f64());
}
