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
