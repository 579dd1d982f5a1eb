use failfast::fail_fast;
use std::time::{Duration, Instant};

#[fail_fast(workers = 4, timeout = Duration::from_secs(60), deadline = end)]
fn check_all(items: &[u32], end: Instant) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
