// The body logs with `log` and `tracing`: field names, sigils, targets, inline and positional
// format arguments, and a struct whose other field is not `Sync` (the closure captures only
// the field it reads).
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};

struct Job {
    name: String,
    retries: Cell<u32>,
}

#[fail_fast(workers = 4)]
fn run(items: &[u32], done: &AtomicU32) -> Result<(), String> {
    let job = Job { name: "sync".into(), retries: Cell::new(0) };
    let label = "item";
    for &item in items {
        log::info!(target: "jobs", "{label} {item} of {}", job.name);
        tracing::info!(item, job = %job.name, count = done.load(Ordering::Relaxed), "started {label}");
        tracing::debug!(?item, "{}", item * 2);
        if item > 10 {
            tracing::error!(target: "jobs", item, "too big");
            return Err(format!("{item} is too big"));
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
    job.retries.set(1);
    Ok(())
}

fn main() {
    let done = AtomicU32::new(0);
    assert!(run(&[1, 2], &done).is_ok());
    assert!(run(&[11], &done).is_err());
}
