//! What every benchmark binary shares: peak heap counting, medians, the side-by-side table,
//! and running the scenarios a command line names.
#![allow(dead_code)] // each binary uses its own part

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

// ---------------------------------------------------------------------------------------
// Peak heap memory, for the scenarios over huge inputs.

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to `System`, only counting the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the peak heap growth during it, in bytes.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let result = f();
    (result, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

// ---------------------------------------------------------------------------------------
// Figures and tables.

/// The median of `runs` measurements.
pub fn median(runs: usize, mut measure: impl FnMut() -> f64) -> f64 {
    let mut samples: Vec<f64> = (0..runs).map(|_| measure()).collect();
    samples.sort_by(f64::total_cmp);
    samples[runs / 2]
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
