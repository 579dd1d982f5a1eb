//! Room on the stack for a recursion's nested runs.
//!
//! A recursion through a parallel loop (a directory walk whose loop calls the walk again)
//! starts a nested run on every level, on whichever thread reaches it: the calling thread, with
//! the stack its program gave it, or a pool thread. One level of a parallel loop takes several
//! times the stack of one level of the sequential loop (its iteration runs inside the engine's
//! frames), so a recursion that the sequential function finishes on the main thread could
//! overflow it in parallel. Each run started inside an iteration (a recursion's level, or a
//! nested loop) therefore checks, as it starts, that its thread has [`RED_ZONE`] of stack
//! left; if not, it runs on a new segment of [`SEGMENT`] that the `stacker` crate maps (and
//! unmaps when the run returns or unwinds): the recursion goes on as deep as memory allows, as
//! rustc's own recursions do with the same crate. A loop started outside any iteration never
//! does: a thread with a small stack (256 KiB) would otherwise map a segment for every loop.
//!
//! The check reads the stack pointer and a thread-local limit, a few nanoseconds a run. Under
//! Miri and loom, which cannot switch stacks, there is no check.

/// The stack a run must find left to start in place: room for the deepest levels that run
/// before the next check, each the user's frames and the engine's (a few KiB in a debug build).
#[cfg(not(any(miri, loom)))]
const RED_ZONE: usize = 512 << 10;

/// The size of a new segment: the main thread's stack on Linux.
#[cfg(not(any(miri, loom)))]
const SEGMENT: usize = 8 << 20;

/// Whether the current thread runs an iteration, and its stack has less than [`RED_ZONE`]
/// left.
#[inline]
pub(crate) fn low() -> bool {
    #[cfg(not(any(miri, loom)))]
    return crate::cancel::in_iteration()
        && stacker::remaining_stack().is_some_and(|left| left < RED_ZONE);
    #[cfg(any(miri, loom))]
    return false;
}

/// Calls `run` with its five arguments on a new segment of [`SEGMENT`], its result or panic
/// passed on. Out of line, and given the function and its arguments rather than a closure:
/// the frame of a run's function, which found the stack [`low`], is on the stack once per
/// level of a recursion, and would hold the closure (`tests/recursion_stack.rs` measures it).
#[cold]
#[inline(never)]
pub(crate) fn grown<A, W, S, B, T, R>(
    run: fn(A, W, S, B, T) -> R,
    a: A,
    w: W,
    s: S,
    b: B,
    t: T,
) -> R {
    let call = move || run(a, w, s, b, t);
    #[cfg(not(any(miri, loom)))]
    return stacker::grow(SEGMENT, call);
    #[cfg(any(miri, loom))]
    return call();
}
