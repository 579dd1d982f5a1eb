// `timeout` and `deadline` take any expression of their type, whose type rustc may infer
// from the option (`cfg.timeout.into()` from a config's own duration type).
use failfast::fail_fast;
use std::time::{Duration, Instant};

/// A config's duration type, as `humantime::Duration` is.
#[derive(Clone, Copy)]
struct Seconds(u64);

impl From<Seconds> for Duration {
    fn from(seconds: Seconds) -> Duration {
        Duration::from_secs(seconds.0)
    }
}

struct Config {
    timeout: Seconds,
}

#[fail_fast(workers = 4, timeout = config.timeout.into())]
fn inferred(items: &[u32], config: &Config) -> std::io::Result<u32> {
    let sum = std::sync::atomic::AtomicU32::new(0);
    for item in items {
        sum.fetch_add(*item, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(sum.into_inner())
}

#[fail_fast(workers = 4, deadline = *end)]
fn dereferenced(items: &[u32], end: &Instant) -> std::io::Result<()> {
    for item in items {
        assert!(*item < 10);
    }
    Ok(())
}

fn main() {
    let config = Config {
        timeout: Seconds(60),
    };
    assert_eq!(inferred(&[1, 2, 3], &config).unwrap(), 6);
    dereferenced(&[1, 2], &(Instant::now() + Duration::from_secs(60))).unwrap();
}
