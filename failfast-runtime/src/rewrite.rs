//! What the `#[fail_fast]` rewrite calls for a thread loop: [`crate::try_for_each`], with
//! bounds that say, in the loop's terms, what to write when a type does not cross threads.
//!
//! rustc reports a missing `Send` on the rewritten loop at the user's own tokens (the input, or
//! the `for` keyword); these traits give that error its message and its help. A capture that is
//! not `Sync` is reported by rustc at the `for` keyword with its own help (`RwLock`, atomics),
//! which a trait of ours cannot improve: rustc names the leaf type, not our bound.

use crate::outcome::Flow;

/// The items of a thread loop go to worker threads.
#[diagnostic::on_unimplemented(
    message = "the items of a parallel loop are sent to worker threads, but `{Self}` cannot be sent between threads safely",
    label = "the items of this input are not `Send`",
    note = "use `Arc` instead of `Rc`, or loop over values that are `Send` (indices, owned data) and build the rest inside the body"
)]
pub trait SendItem: Send {}
impl<T: Send> SendItem for T {}

/// The first failure or `return` value of a thread loop comes back from a worker thread.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` value of a parallel loop comes back from a worker thread, but `{Self}` cannot be sent between threads safely",
    label = "the value this loop's exit carries is not `Send`",
    note = "for `Box<dyn Error>`, return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same"
)]
pub trait SendExit: Send {}
impl<T: Send> SendExit for T {}

/// [`crate::try_for_each`] for the rewrite: the same loop, with the bounds above.
///
/// # Panics
///
/// If `workers` is 0, at the caller's loop.
#[track_caller]
pub fn thread_loop<I, F, R>(iterable: I, workers: usize, f: F) -> R
where
    I: IntoIterator,
    I::Item: SendItem,
    F: Fn(I::Item) -> R + Sync,
    R: Flow<Exit: SendExit>,
{
    crate::check_workers(workers);
    crate::for_each(iterable, workers, f)
}

/// `true`, opaquely: the rewrite runs a body as `if always() { BODY }` so that a body that
/// always returns (or is `todo!()`) does not make the iteration's closing `success()`
/// "unreachable" in rustc's eyes, which the sequential loop would not warn about.
#[inline(always)]
pub fn always() -> bool {
    true
}
