//! Where a run's items come from, and how a worker takes them.
//!
//! - [`Shared`](super::shared::Shared): a `Send` iterator, pulled under a lock by whichever
//!   worker is free, in batches while iterations are fast.
//! - [`Indexed`](super::indexed::Indexed): a range, slice or `Vec`, split by claiming index
//!   ranges with one atomic add.
//! - [`Fed`](super::fed::Fed): an iterator that is not `Send`: only the run's owner pulls it,
//!   into a queue that the workers take from, at most `Ahead::limit` items ahead of the
//!   running iterations.
//! - [`Headed`](super::headed::Headed): a `while let` loop's head, which the run's owner
//!   evaluates one value at a time, only once a thread is free to start the value.

use super::ending::Payload;
use crate::sync::AtomicBool;
use std::time::Duration;

/// A run's items, as its workers take them.
pub(crate) trait Source: Sync {
    type Item;
    /// What a visit keeps between its claims for the source to put claimed items in (see
    /// [`claim`](Source::claim)), and gives back when it ends ([`put_back`](Source::put_back)).
    type Hand: Default;
    /// Items claimed by one worker, yielded as each is about to start. Dropping it drops the
    /// items it did not yield: taken, never started.
    type Claimed<'a>: Iterator<Item = Self::Item>
    where
        Self: 'a;

    /// Whether a claim's items run from a copy of the claim in the running frame, in
    /// registers, rather than from its slot in the visit's frame: a body whose effects the
    /// compiler cannot see (any call) would otherwise make it store and reload the claim's
    /// position at every item. Worth it where claims carry the fast items: an indexed input's,
    /// when its claims may hold more than one item (the copy is in a frame of its own then,
    /// which a recursion's levels, claiming one item at a time, never make). The others' fast
    /// items are run by a holder ([`alone`](Source::alone)), and their claims' items are
    /// slow: the copy would only cost stack, once per level of a recursion.
    #[cfg_attr(debug_assertions, allow(dead_code))]
    const CLAIM_IN_REGISTERS: bool = false;

    /// Whether a worker may hold the input alone ([`alone`](Source::alone)): only a shared
    /// lazy input's. The others' visits never try, which would cost a round before every
    /// claim once batches stop growing.
    const HOLDS: bool = false;

    /// What taking each item of a claim costs its worker, beyond what running the item does:
    /// a worker that weighs holding the input alone against sharing it
    /// ([`step_back`](Source::step_back)) counts it on the side of sharing.
    const TAKING_AN_ITEM: Duration = Duration::ZERO;

    /// The largest batch a worker may ask for.
    fn max_batch(&self) -> usize;

    /// Whether items may be left to claim: a hint (a claim may still find none), but once it
    /// is `false` it stays `false` for all but a [`Fed`] source, which its owner refills.
    fn has_work(&self) -> bool;

    /// Claims up to `want` items, putting them in the visit's `hand` if the source needs one;
    /// `None` when none are left; the payload if pulling the input panicked (the items pulled
    /// with it are dropped, and nothing more is pulled). A source that pulls a lazy input
    /// item by item reads `cancelled()` before each `next()`: once the run has ended (an
    /// exit, a stop from outside, an enclosing loop's end, a deadline that no timer watches)
    /// nothing more is taken from the input, not even the rest of a batch.
    fn claim<'a>(
        &'a self,
        want: usize,
        hand: &'a mut Self::Hand,
        cancelled: impl Fn() -> bool,
    ) -> Result<Option<Self::Claimed<'a>>, Payload>;

    /// A visit ends, and gives back its hand, empty.
    fn put_back(&self, _hand: Self::Hand) {}

    /// A worker ran `items` items of its claim in `ran_for`.
    fn finished(&self, _items: usize, _ran_for: Duration) {}

    /// Nothing more is to be claimed: the run was cancelled.
    fn close(&self);

    /// A worker starts taking items (see [`Shared::alone`]); [`leave`](Source::leave) when it
    /// stops.
    fn join(&self) {}

    fn leave(&self) {}

    /// A worker whose claims cost more than running their items stops taking for a while,
    /// unless it is the last taker; whether it stopped.
    fn step_back(&self) -> bool {
        false
    }

    /// Whether another worker holds the input alone: a claim finds nothing until it lets go.
    fn held_alone(&self) -> bool {
        false
    }

    /// While a worker holds the input alone: how many items it has run alone so far (read
    /// twice, its pace).
    fn held_items(&self) -> Option<usize> {
        None
    }

    /// Runs items one at a time on this thread for as long as it is the only taker, what
    /// `looks` reads holds (see [`Looks`]) and `each(item)` after an item, or the input ends;
    /// whether the input ended. No other thread runs the source's items meanwhile, so only
    /// `each` and what `looks` watches can end the run. Sources that cannot be held return at
    /// once.
    fn alone(
        &self,
        _looks: Looks<'_, impl Fn() -> bool>,
        _each: impl FnMut(Self::Item) -> bool,
    ) -> Result<bool, Payload> {
        Ok(false)
    }
}

/// What can end a held run from outside, besides its own iterations (see [`Source::alone`]),
/// and how often the holder reads it: `go_on()` is false once it must stop taking.
pub(crate) enum Looks<'a, F> {
    /// Nothing: only an iteration's exit ends the run.
    Never,
    /// Read before each item.
    EachItem(F),
    /// Read before every [`FEW`] items: the holder may start up to `FEW` items after the
    /// cancellation came, which only a run of more than `FEW` workers, in a loop that has not
    /// recursed, may do (see [`FEW`]). The flag says when the loop has recursed: the holder
    /// lets go at its next look at the other takers.
    EveryFew(F, &'a AtomicBool),
}

/// How many items a holder may start between two reads of a stop from outside, in a run of
/// more than `FEW` workers. The contract lets `workers - 1` iterations start after a stop
/// (those already starting on other threads). While one thread holds the input, no other
/// thread starts an item of the run, and, in a loop that never recursed, of the loop; so the
/// holder may use that allowance itself, a few items at a time. A holder that sees the loop
/// recurse lets go at its next look at the recursion's flag, once a stretch: a recursion's nested
/// runs have their items taken by other threads, each of which may race one after a stop.
/// Within that stretch (the first recursion of the loop, reached from a held item), a stop
/// may see the holder start up to `FEW` items beside them.
/// On `cargo bench --bench stop -- overhead_shared` (2,000,000 items of about a nanosecond),
/// a read before each item cost a third more time than no token at all; one read per 2 items
/// 8%; per 4 items, none measurable. (Reading the recursion's flag per block as well cost 30%:
/// it is read with the takers instead.)
pub(crate) const FEW: usize = if cfg!(loom) { 1 } else { 4 };
