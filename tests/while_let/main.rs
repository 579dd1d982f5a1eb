//! `while let` loops through the macro, thread and async: one module per promise, each with
//! a module for thread loops and one for async loops where the promise applies to both; the
//! runtime's stream functions in `streams`. One test target, so that CI links one binary.
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod calling_thread;
mod dropping;
mod early_continue;
mod early_return;
mod first_failure;
mod head_awaited;
mod head_failure;
mod head_none;
mod limit;
mod one_worker;
mod pulled_started;
mod streams;

/// Generous: catches a hang, measures nothing.
const HANG: Duration = Duration::from_secs(30);

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + HANG;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Counts the iterations running now and the most at once.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Running {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts the iterations in flight and the most at once.
#[derive(Default)]
struct InFlight {
    now: Cell<usize>,
    most: Cell<usize>,
    arrived: Cell<usize>,
}

/// Counts its drops.
struct Flag<'a>(&'a Cell<usize>);

impl Drop for Flag<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}
