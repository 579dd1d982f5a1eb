//! Worker threads for the engine: [`scope`] lends a loop's stack frame to pool threads and
//! waits for them (the crate's one `unsafe`), and [`cache`] keeps finished threads for the
//! next loop.
//!
//! Starting a thread costs tens of microseconds; a loop over a handful of items would spend
//! more time spawning than working. Threads are therefore parked in a global idle list when
//! their job ends, handed the next job, and exit after [`cache::IDLE_TIMEOUT`] unused.

pub(crate) mod cache;
mod scope;

#[cfg(not(loom))]
pub use cache::idle_threads;
pub(crate) use scope::{scope, Spawner, Work};

/// The stack of the main thread on Linux (its usual `ulimit -s`), which std's threads do not
/// get (they default to 2 MiB): an iteration on a pool thread must not overflow where the
/// sequential loop, on the main thread, does not.
#[cfg(any(not(loom), test))]
const MAIN_STACK: usize = 8 << 20;

/// The stack size of a pool thread: the main thread's, or more if `RUST_MIN_STACK` asks (the
/// variable std reads for its own threads, which an explicit size would otherwise override).
/// Read once: std reads it once too, and a loop must not look up the environment each time.
/// The pages are only reserved: a thread touches as much of it as its iterations use.
#[cfg(not(loom))]
pub(crate) fn stack_size() -> usize {
    static SIZE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SIZE.get_or_init(|| stack_size_for(std::env::var("RUST_MIN_STACK").ok().as_deref()))
}

/// [`stack_size`] for a value of `RUST_MIN_STACK`; one that is not a number is ignored, as
/// std ignores it.
#[cfg(any(not(loom), test))]
fn stack_size_for(min_stack: Option<&str>) -> usize {
    let asked = min_stack.and_then(|size| size.trim().parse::<usize>().ok());
    asked.map_or(MAIN_STACK, |asked| asked.max(MAIN_STACK))
}

#[cfg(test)]
mod tests {
    use super::{stack_size_for, MAIN_STACK};

    #[test]
    fn the_stack_is_the_main_threads_unless_rust_min_stack_asks_for_more() {
        assert_eq!(stack_size_for(None), MAIN_STACK);
        assert_eq!(stack_size_for(Some("65536")), MAIN_STACK);
        assert_eq!(stack_size_for(Some("33554432")), 32 << 20);
        assert_eq!(stack_size_for(Some(" 16777216\n")), 16 << 20);
        assert_eq!(stack_size_for(Some("lots")), MAIN_STACK);
    }
}
