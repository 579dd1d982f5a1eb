//! failfast
#![deny(missing_docs)]

pub use failfast_macros::fail_fast;
pub use failfast_runtime::{cancelled, default_workers, try_for_each, try_map, Outcome};

/// What the `#[fail_fast]` rewrite calls. Not public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use failfast_runtime::{default_workers, try_for_each, Fallible, Outcome};
}
