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
//! Large items need the same care anywhere. An item passed by value (a `[u8; 1 << 20]` block)
//! sits in several of the engine's frames at once between its source and the body (a claim,
//! the item taken from it, the body's argument; more in a build without optimisation, which
//! keeps every temporary), where the sequential loop holds it once or twice: a loop over 1 MiB
//! items aborted the main thread's 8 MiB stack. So does a large value that a `return` carries
//! out of the loop. So a run whose items or exit need more than [`RED_ZONE`] of room
//! ([`room_for`]) checks at its start, also outside any iteration, that the thread has that
//! room left, and a pool thread checks before each visit of such a run; either moves to a
//! segment large enough otherwise. Small values cost nothing: the room is a constant.
//!
//! The check reads the stack pointer and a thread-local limit, a few nanoseconds a run. Under
//! Miri and loom, which cannot switch stacks, there is no check.

use super::Body;
use crate::outcome::LoopStep;

/// The stack a run must find left to start in place: room for the deepest levels that run
/// before the next check, each the user's frames and the engine's (a few KiB in a debug build).
#[cfg(not(any(miri, loom)))]
const RED_ZONE: usize = 512 << 10;

/// The size of a new segment: the main thread's stack on Linux.
#[cfg(not(any(miri, loom)))]
const SEGMENT: usize = 8 << 20;

/// How many copies of an item (or of the loop's exit value) the engine's frames may hold at
/// once, between the source and the body's own frame. Measured: a release build's visit frame
/// holds four of a 1 MiB item, the frames around it a few more; a build without optimisation,
/// which gives every temporary a slot, about twice as many. The frames are the user crate's
/// instances of the engine's generic code, built with its profile, which this crate cannot
/// tell: the count is the unoptimised one, with room to spare.
#[cfg(not(any(miri, loom)))]
const COPIES: usize = 32;

/// The stack that a run over items of type `T`, whose exit carries an `X`, may take in the
/// engine's frames.
#[cfg(not(any(miri, loom)))]
pub(crate) const fn room_for<T, X>() -> usize {
    let size = std::mem::size_of::<T>();
    let exit = std::mem::size_of::<X>();
    COPIES.saturating_mul(if size > exit { size } else { exit })
}

/// See [`room_for`].
#[cfg(any(miri, loom))]
pub(crate) const fn room_for<T, X>() -> usize {
    0
}

/// [`room_for`] a run of `body` over items of type `T`: its items, and the exit its
/// iterations may carry.
pub(crate) const fn room_for_body<T, B: Body<T>>() -> usize {
    room_for::<T, <B::Outcome as LoopStep>::Exit>()
}

/// Whether a run over items that need `room` (see [`room_for`]) must not start on this
/// thread's stack: it runs an iteration (a recursion's level) or the items need more than
/// [`RED_ZONE`], and the stack has less than [`RED_ZONE`] and `room` left; never for the run
/// that [`grown`] has just moved (see [`GREW`]).
#[inline]
pub(crate) fn low(room: usize) -> bool {
    #[cfg(not(any(miri, loom)))]
    return !GREW.with(|grew| grew.replace(false))
        && (room > RED_ZONE || crate::cancel::in_iteration())
        && stacker::remaining_stack().is_some_and(|left| left < RED_ZONE.saturating_add(room));
    #[cfg(any(miri, loom))]
    {
        let _ = room;
        false
    }
}

/// A pool thread's visit of a run over items that need `room`: on a new segment if the items
/// need more than [`RED_ZONE`] and the stack has less than that and `room` left (see [`low`]).
#[inline]
pub(crate) fn visit_with_room<R>(room: usize, visit: impl FnOnce() -> R) -> R {
    #[cfg(not(any(miri, loom)))]
    if room > RED_ZONE && low(room) {
        return stacker::grow(segment(room), visit);
    }
    let _ = room;
    visit()
}

/// The size of a new segment for a run over items that need `room`: twice the room and the
/// red zone, as the run's function, whose frame (with its copies of the outcome, in a build
/// without optimisation) is taken before it checks the stack again on the segment, must find
/// room left there (and that check moves no further, see [`GREW`]).
#[cfg(not(any(miri, loom)))]
fn segment(room: usize) -> usize {
    SEGMENT.max(RED_ZONE.saturating_add(room).saturating_mul(2))
}

#[cfg(not(any(miri, loom)))]
std::thread_local! {
    /// Set by [`grown`] for the run it calls on a new segment, whose first check reads and
    /// clears it: that check never moves the run again, so that a frame larger than the
    /// segment allowed for cannot move it from segment to segment without end.
    static GREW: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Calls `run` with its five arguments on a new segment of [`SEGMENT`] (or more, for items
/// that need `room`), its result or panic passed on. Out of line, and given the function and
/// its arguments rather than a closure: the frame of a run's function, which found the stack
/// [`low`], is on the stack once per level of a recursion, and would hold the closure
/// (`tests/recursion_stack.rs` measures it).
#[cold]
#[inline(never)]
pub(crate) fn grown<A, W, S, B, T, R>(
    room: usize,
    run: fn(A, W, S, B, T) -> R,
    a: A,
    w: W,
    s: S,
    b: B,
    t: T,
) -> R {
    #[cfg(not(any(miri, loom)))]
    return stacker::grow(segment(room), move || {
        GREW.with(|grew| grew.set(true));
        run(a, w, s, b, t)
    });
    #[cfg(any(miri, loom))]
    {
        let _ = room;
        run(a, w, s, b, t)
    }
}
