//! Long iterations that poll `failfast::cancelled()` stop early when another one fails.
//!
//! ```text
//! cargo run --example cancel
//! ```
//!
//! Four simulations of 5 seconds each run at once; the third fails after 300 ms. The others
//! notice at their next step and stop, so the loop returns after about 300 ms, not 5 s.
use failfast::{cancelled, fail_fast};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const STEPS: u32 = 500;
const STEP: Duration = Duration::from_millis(10);

#[fail_fast(workers = 4)]
fn simulate_all(runs: &[&str], report: &Mutex<Vec<String>>) -> Result<(), String> {
    'runs: for (i, run) in runs.iter().enumerate() {
        let mut steps = 0;
        while steps < STEPS {
            if cancelled() {
                report.lock().unwrap().push(format!(
                    "{run}: stopped early after {steps} of {STEPS} steps"
                ));
                // Ends this iteration: a bare `continue` would restart the inner `while`.
                continue 'runs;
            }
            if i == 2 && steps == 30 {
                Err(format!("{run} diverged at step {steps}"))?;
            }
            std::thread::sleep(STEP);
            steps += 1;
        }
        report
            .lock()
            .unwrap()
            .push(format!("{run}: finished all {STEPS} steps"));
    }
    Ok(())
}

fn main() {
    let report = Mutex::new(Vec::new());
    let begin = Instant::now();
    let result = simulate_all(&["wind", "tide", "heat", "rain"], &report);
    let elapsed = begin.elapsed();
    for line in report.into_inner().unwrap() {
        println!("{line}");
    }
    println!("error: {}", result.as_ref().unwrap_err());
    println!(
        "returned after {} ms; each run alone takes {} ms",
        elapsed.as_millis(),
        (STEP * STEPS).as_millis()
    );
    assert!(result.is_err());
    assert!(
        elapsed < Duration::from_secs(3),
        "the running iterations stopped early"
    );
}
