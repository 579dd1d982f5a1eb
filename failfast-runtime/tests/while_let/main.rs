//! Thread `while let` loops, through the entry point that the macro's rewrite calls: the head
//! is evaluated on the calling thread, one value at a time and only when a thread is free to
//! start it, and its end or its failure ends the loop like a `for` loop's input or iteration.
//! One test target, a module per promise, so that CI links one binary.
#[path = "../common/mod.rs"]
mod common;

mod calling_thread;
mod first_failure;
mod head_failure;
mod head_none;
mod limit;
mod one_worker;
mod pulled_started;

use failfast_runtime::rewrite::{while_let as head_loop, LoopSite};

/// `while let Some(v) = next() { body(v) }` as the rewrite writes it, with `next` returning
/// `Result<Option<T>, E>` for a head that may fail (`next()?` in the head).
fn while_let<T: Send, E: Send>(
    site: &'static LoopSite,
    workers: usize,
    mut next: impl FnMut() -> Result<Option<T>, E>,
    body: impl Fn(T) -> Result<(), E> + Sync,
) -> Result<(), E> {
    head_loop(
        |slot: &mut Option<T>| {
            *slot = next()?;
            Ok(())
        },
        workers,
        site,
        body,
    )
}
