// `timeout` and `deadline` take their value as written, or through a reference (a field of
// a borrowed config).
use failfast::fail_fast;
use std::time::{Duration, Instant};

struct Config {
    timeout: Duration,
}

#[fail_fast(workers = 4, timeout = &config.timeout)]
fn by_reference(items: &[u32], config: &Config) -> std::io::Result<u32> {
    let mut sum = std::sync::atomic::AtomicU32::new(0);
    for item in items {
        sum.fetch_add(*item, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(*sum.get_mut())
}

#[fail_fast(workers = 4, deadline = *end)]
fn by_value(items: &[u32], end: &Instant) -> std::io::Result<()> {
    for item in items {
        assert!(*item < 10);
    }
    Ok(())
}

fn main() {
    let config = Config {
        timeout: Duration::from_secs(60),
    };
    assert_eq!(by_reference(&[1, 2, 3], &config).unwrap(), 6);
    by_value(&[1, 2], &(Instant::now() + Duration::from_secs(60))).unwrap();
}
