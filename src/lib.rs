//! failfast
pub use failfast_macros::fail_fast;
pub use failfast_runtime::{cancelled, default_workers, try_for_each, try_map};
