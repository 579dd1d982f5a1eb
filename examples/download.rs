//! The story `failfast` was written for: download many files with 8 workers and stop
//! everything at the first failure, instead of waiting for the rest of the queue.
//!
//! ```text
//! cargo run --example download
//! ```
//!
//! The names are generated lazily (a million of them); downloads are simulated with a sleep.
//! File 20 fails. The loop returns right after the downloads already running have finished:
//! it does not wait for the queue, and the rest of the million is never generated.
use failfast::fail_fast;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct DownloadError {
    name: String,
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not download {}: connection reset", self.name)
    }
}

impl std::error::Error for DownloadError {}

/// A pretend remote bucket that counts what happens to it.
#[derive(Default)]
struct Bucket {
    started: AtomicUsize,
    finished: AtomicUsize,
}

impl Bucket {
    fn download(&self, name: &str) -> Result<(), DownloadError> {
        self.started.fetch_add(1, Ordering::SeqCst);
        // Each download takes 100 ms, unless the loop has already failed: then there is no
        // point finishing it.
        for _ in 0..10 {
            if failfast::cancelled() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if name == "file-00020.bin" {
            return Err(DownloadError {
                name: name.to_string(),
            });
        }
        self.finished.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[fail_fast(workers = 8)]
fn download_all(names: impl Iterator<Item = String>, bucket: &Bucket) -> Result<(), DownloadError> {
    for name in names {
        bucket.download(&name)?; // the first Err cancels the rest and leaves the fn, like `?`
    }
    Ok(())
}

fn main() {
    const FILES: usize = 1_000_000;
    let bucket = Bucket::default();
    let generated = AtomicUsize::new(0);
    let names = (0..FILES).map(|i| {
        generated.fetch_add(1, Ordering::SeqCst);
        format!("file-{i:05}.bin")
    });

    let begin = Instant::now();
    let done = AtomicBool::new(false);
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                eprint!(
                    "\r  running: {:>3} started, {:>3} finished, {:>4} ms",
                    bucket.started.load(Ordering::SeqCst),
                    bucket.finished.load(Ordering::SeqCst),
                    begin.elapsed().as_millis()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            eprintln!();
        });
        let result = download_all(names, &bucket);
        done.store(true, Ordering::SeqCst);
        result
    });
    let elapsed = begin.elapsed();

    let started = bucket.started.load(Ordering::SeqCst);
    let generated = generated.load(Ordering::SeqCst);
    println!("error:         {}", result.as_ref().unwrap_err());
    println!(
        "returned after {} ms (a sequential loop would need 2,100 ms to reach file 20)",
        elapsed.as_millis()
    );
    println!("started:       {started} downloads");
    println!(
        "finished:      {} downloads",
        bucket.finished.load(Ordering::SeqCst)
    );
    println!(
        "never started: {} of {FILES} files ({generated} names generated)",
        FILES - started
    );
    assert!(result.is_err(), "file 20 fails");
    assert!(
        started < 40,
        "the loop stopped starting downloads at the failure"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "the loop did not wait for the queue"
    );
}
