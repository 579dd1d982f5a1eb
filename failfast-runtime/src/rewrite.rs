//! What the `#[fail_fast]` rewrite calls for a thread loop: the engine on the path that its
//! input's type allows (see [`Probe`]), with bounds that say, in the loop's terms, what to
//! write when a type does not cross threads.
//!
//! rustc reports a missing `Send` on the rewritten loop at the user's own tokens (the input, or
//! the `for` keyword); these traits give that error its message and its help. A capture that is
//! not `Sync` is reported by rustc at the `for` keyword with its own help (`RwLock`, atomics),
//! which a trait of ours cannot improve: rustc names the leaf type, not our bound.

pub use crate::engine::indexed::IntoIndexed;
pub use crate::engine::LoopSite;
use crate::engine::{self, Site};
use crate::outcome::Flow;
use crate::ForEach;
use std::marker::PhantomData;

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

/// The path a thread loop takes, chosen by its input's type with autoref-based dispatch
/// (there is no specialization on stable Rust): the rewrite writes
///
/// ```text
/// match INPUT {
///     input => (&&&probe(&input)).__failfast_path().thread_loop(input, WORKERS, &SITE, BODY),
/// }
/// ```
///
/// and method resolution tries `&&&Probe` first (inputs split by index: [`ViaIndex`]), then
/// `&&Probe` (other `Send` inputs, pulled by every worker: [`ViaShared`]), then `&Probe`
/// (any input, pulled by the calling thread: [`ViaCaller`]). Each step applies only if the
/// input's type meets its impl's bounds.
pub struct Probe<I>(PhantomData<fn() -> I>);

/// See [`Probe`]; takes the input by reference so that the rewrite can move it afterwards.
pub fn probe<I>(_: &I) -> Probe<I> {
    Probe(PhantomData)
}

/// Inputs split by index: ranges, slices, `Vec`s and arrays. See [`Probe`].
pub trait PickIndex {
    /// This path.
    fn __failfast_path(&self) -> ViaIndex {
        ViaIndex
    }
}
impl<I: IntoIndexed> PickIndex for &&Probe<I> {}

/// Inputs whose iterator is `Send`. See [`Probe`].
pub trait PickShared {
    /// This path.
    fn __failfast_path(&self) -> ViaShared {
        ViaShared
    }
}
impl<I: IntoIterator> PickShared for &Probe<I> where I::IntoIter: Send {}

/// Any input. See [`Probe`].
pub trait PickCaller {
    /// This path.
    fn __failfast_path(&self) -> ViaCaller {
        ViaCaller
    }
}
impl<I> PickCaller for Probe<I> {}

/// The path of inputs split by index: the calling thread and `workers - 1` pool threads claim
/// index ranges.
pub struct ViaIndex;

impl ViaIndex {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIndexed,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: Flow<Exit: SendExit>,
    {
        crate::check_workers(workers);
        engine::drive_indexed(input, workers, Site::Loop(site), &ForEach(f))
    }
}

/// The path of `Send` inputs: the calling thread and `workers - 1` pool threads pull the input
/// in turns.
pub struct ViaShared;

impl ViaShared {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIterator,
        I::IntoIter: Send,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: Flow<Exit: SendExit>,
    {
        crate::check_workers(workers);
        engine::drive_shared(input, workers, Site::Loop(site), &ForEach(f))
    }
}

/// The path of any input: the calling thread pulls it, `workers` pool threads run the
/// iterations.
pub struct ViaCaller;

impl ViaCaller {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIterator,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: Flow<Exit: SendExit>,
    {
        crate::check_workers(workers);
        engine::drive_fed(input, workers, Site::Loop(site), &ForEach(f))
    }
}

/// A thread `while let` loop: the calling thread evaluates `head`, one value at a time and
/// only while fewer than `workers` iterations run, and `workers` pool threads run the
/// iterations.
///
/// The rewrite writes the head as `|slot| { match HEAD { v @ SHAPE => *slot = Some(v), _ => {} }
/// Flow::success() }`: it returns the iterations' own type, so that `?` and `return` in the
/// head leave the loop as they would in the body, and a value left in `slot` is the next
/// iteration's input (none: the head did not match, the input has ended).
///
/// # Panics
///
/// If `workers` is 0, at the caller's loop.
#[track_caller]
pub fn head_loop<T, H, F, R>(mut head: H, workers: usize, site: &'static LoopSite, f: F) -> R
where
    H: FnMut(&mut Option<T>) -> R,
    T: SendItem,
    F: Fn(T) -> R + Sync,
    R: Flow<Exit: SendExit>,
{
    crate::check_workers(workers);
    let head = move || {
        let mut slot = None;
        match head(&mut slot).into_exit() {
            Some(exit) => engine::Pulled::Exit(exit),
            None => slot.map_or(engine::Pulled::End, engine::Pulled::Value),
        }
    };
    engine::drive_head(head, workers, Site::Loop(site), &ForEach(f))
}

/// `true`, opaquely: the rewrite runs a body as `if always() { BODY }` so that a body that
/// always returns (or is `todo!()`) does not make the iteration's closing `success()`
/// "unreachable" in rustc's eyes, which the sequential loop would not warn about.
#[inline(always)]
pub fn always() -> bool {
    true
}
