//! Cancellation tokens: one per loop, chained to the loop the loop was started from.

use crate::sync::{Arc, AtomicU64, AtomicU8, Ordering};
use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::time::Instant;

/// The token's state while the loop runs.
const LIVE: u8 = 0;
/// An exit (a failure, a `return`) or a panic was recorded.
const ENDED: u8 = 1;
/// The loop was stopped from outside before any exit was recorded.
const STOPPED: u8 = 2;
/// The loop finished before anything ended or stopped it: a stop that comes now changes
/// nothing.
const FINISHED: u8 = 3;

/// A token's `verified` once a walk of its chain found it cancelled: no count is ever this.
/// (Not `u64::MAX`, which a new token starts with to be walked once, then noted.)
const SAW_CANCELLED: u64 = u64::MAX - 1;

/// The cancellation state of one loop. A nested loop's token points at the token of the
/// iteration that started it, so cancelling an outer loop cancels every loop inside it.
///
/// The state leaves `LIVE` once, by a compare-and-swap: whichever of an exit, a stop and the
/// loop's finishing comes first is how the loop ended (see `ending::Record`).
///
/// # The chain, read in constant time
///
/// A recursion through a parallel loop nests a loop per level, and each of its iterations
/// checks, before every item, whether any loop of its chain was cancelled: walking the chain,
/// that check cost a recursion 2,000 levels deep most of its time. So every cancellation (an
/// exit or a stop, not a loop's finishing, after which no loop inside it runs) is also counted
/// in the chain's root, one counter for its whole tree, after the state changed; and a token
/// notes the count it saw before a walk that found its chain live. While the count is still
/// that, nothing in the tree was cancelled since, and the walk is skipped. A cancellation
/// the count has not shown yet is one that a walk could also have missed a moment earlier;
/// one it shows was made visible by the count's `Release` increment, which the check's
/// `Acquire` load synchronizes with, before the walk that follows.
///
/// A walk that finds the chain cancelled marks the token [`SAW_CANCELLED`] for good, and a
/// walk that found it live notes its count only where nothing was noted since it began
/// (a compare-and-swap). Without that, a walk that began before a cancellation, and noted its
/// count after another thread's walk had seen the cancellation, could let a later check (one
/// ordered after the other thread's, as a run's settling is after its visits) pass as live
/// while the cancellation's count is not yet shown: a loop that skipped items for it would
/// then settle as if it had run them all (see `ending::CutShort`). Marked, every later check
/// walks, and finds what the marking walk found.
#[derive(Debug)]
pub(crate) struct Token {
    state: AtomicU8,
    parent: Option<Arc<Token>>,
    /// The earliest deadline of this loop and those it runs in that no timer thread stops
    /// them at (the OS refused one, see `stop.rs`): [`cancelled`] turns `true` there, so that
    /// iterations waiting for it end, and a worker then stops the loop.
    deadline: Option<Instant>,
    /// A root's count of the cancellations in its tree (see "The chain, read in constant
    /// time"); unused below the root.
    cancellations: AtomicU64,
    /// The root's `cancellations`, for a token with a parent.
    root: Option<NonNull<AtomicU64>>,
    /// The count seen before the last walk of this token's chain that found it live.
    verified: AtomicU64,
}

// SAFETY: `root` points into the root token, which this token keeps alive through its chain
// of `parent`s (each an `Arc`), and is only read through as a shared reference to an atomic;
// every other field is `Send` and `Sync`.
unsafe impl Send for Token {}
// SAFETY: see `Send` above.
unsafe impl Sync for Token {}

impl Token {
    /// A token for a loop started on this thread: a child of the loop this thread is
    /// running an iteration of, if any. `deadline` only if no timer watches the loop's.
    pub(crate) fn for_new_loop(deadline: Option<Instant>) -> Arc<Token> {
        let parent = current();
        let outer = parent.as_deref().and_then(|parent| parent.deadline);
        let deadline = match (deadline, outer) {
            (Some(own), Some(outer)) => Some(own.min(outer)),
            (own, outer) => own.or(outer),
        };
        let root = parent.as_deref().map(|parent| NonNull::from(parent.tree()));
        let verified = parent
            .as_deref()
            .map_or(u64::MAX, Token::verified_for_child);
        Arc::new(Token {
            state: AtomicU8::new(LIVE),
            parent,
            deadline,
            cancellations: AtomicU64::new(0),
            root,
            verified: AtomicU64::new(verified),
        })
    }

    /// The count a child of this token starts with as verified: the count now, if this token
    /// is live and its own chain was verified at that count (a child's chain is this token
    /// and its chain), so that a recursion's new level does not walk every level above it;
    /// else none, and the child's first check walks.
    fn verified_for_child(&self) -> u64 {
        let seen = self.tree().load(Ordering::Acquire);
        let chain_live = self.parent.is_none() || self.verified.load(Ordering::Relaxed) == seen;
        match chain_live && self.state.load(Ordering::Acquire) == LIVE {
            true => seen,
            false => u64::MAX,
        }
    }

    /// The count of cancellations in this token's tree.
    fn tree(&self) -> &AtomicU64 {
        match self.root {
            None => &self.cancellations,
            // SAFETY: see `Send` above: the root outlives this token.
            Some(root) => unsafe { root.as_ref() },
        }
    }

    /// Whether an unwatched deadline of this loop, or of one it runs in, has passed.
    pub(crate) fn has_deadline(&self) -> bool {
        self.deadline.is_some()
    }

    pub(crate) fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// Moves the state from `LIVE` to `to`; `false` if it had left `LIVE` already. A
    /// cancellation is counted in the tree after it (see "The chain, read in constant time").
    fn leave_live(&self, to: u8) -> bool {
        let left = self
            .state
            .compare_exchange(LIVE, to, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if left && to != FINISHED {
            self.tree().fetch_add(1, Ordering::AcqRel);
        }
        left
    }

    /// Cancels the loop for an exit; `false` if it was stopped from outside first, and the
    /// exit must be dropped.
    pub(crate) fn end(&self) -> bool {
        self.leave_live(ENDED) || self.state.load(Ordering::Acquire) != STOPPED
    }

    /// Cancels the loop for a stop from outside, unless it has ended or finished already.
    pub(crate) fn stop(&self) {
        self.leave_live(STOPPED);
    }

    /// Whether the loop itself ended or was stopped: cancelled, where [`is_cancelled`]
    /// also counts its finishing (after which nothing runs in it).
    ///
    /// [`is_cancelled`]: Self::is_cancelled
    pub(crate) fn ended_or_stopped(&self) -> bool {
        matches!(self.state.load(Ordering::Acquire), ENDED | STOPPED)
    }

    /// The loop's last iteration has finished, and nothing ended it before: whether this
    /// call settled that (nothing did before it).
    pub(crate) fn settle(&self) -> bool {
        self.leave_live(FINISHED)
    }

    /// Whether the loop was stopped from outside before anything else ended it.
    pub(crate) fn was_stopped(&self) -> bool {
        self.state.load(Ordering::Acquire) == STOPPED
    }

    /// Whether this loop or one it runs in was cancelled: the token's own flag inline, the
    /// chain of enclosing loops out of line.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        self.watch().is_cancelled()
    }

    /// The token's fields, read once: a loop over a claim's items checks its [`Watch`]
    /// before every item, where the body may write memory and the compiler would otherwise
    /// reload the token's address and its parent on every item.
    #[inline]
    pub(crate) fn watch(&self) -> Watch<'_> {
        Watch {
            state: &self.state,
            parent: self.parent.as_deref(),
        }
    }

    /// Whether this token or one of its chain left `LIVE`, or this one's deadline (the
    /// earliest of the chain's) passed; the chain is walked only if the tree counted a
    /// cancellation since the last walk (see "The chain, read in constant time").
    #[inline(never)]
    fn chain_is_cancelled(&self) -> bool {
        if self.state.load(Ordering::Acquire) != LIVE || self.past_deadline() {
            return true;
        }
        let seen = self.tree().load(Ordering::Acquire);
        let verified = self.verified.load(Ordering::Relaxed);
        if verified == seen {
            return false;
        }
        let mut outer = self.parent.as_deref();
        while let Some(token) = outer {
            if token.state.load(Ordering::Acquire) != LIVE {
                self.verified.store(SAW_CANCELLED, Ordering::Relaxed);
                return true;
            }
            outer = token.parent.as_deref();
        }
        self.note_live(verified, seen);
        false
    }

    /// Notes that a walk, which began with `verified` noted and the tree's count at `seen`,
    /// found the chain live: unless another walk noted something since, a cancellation above
    /// all (see "The chain, read in constant time").
    fn note_live(&self, verified: u64, seen: u64) {
        if verified != SAW_CANCELLED {
            let _ = self.verified.compare_exchange(
                verified,
                seen,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }
}

/// [`Token::is_cancelled`] with the token's fields held in registers.
#[derive(Clone, Copy)]
pub(crate) struct Watch<'a> {
    state: &'a AtomicU8,
    parent: Option<&'a Token>,
}

impl Watch<'_> {
    #[inline]
    pub(crate) fn is_cancelled(self) -> bool {
        self.state.load(Ordering::Acquire) != LIVE || self.outer_cancelled()
    }

    /// Whether this loop itself (not one it runs in) was cancelled: all a thread must read
    /// when no enclosing loop can cancel it.
    #[inline]
    pub(crate) fn own_cancelled(self) -> bool {
        self.state.load(Ordering::Acquire) != LIVE
    }

    /// Whether the loop runs inside another loop's iteration.
    #[inline]
    pub(crate) fn nested(self) -> bool {
        self.parent.is_some()
    }

    /// Whether an enclosing loop was cancelled: all a thread must read when no other thread
    /// can end this loop (a lazy input held alone, see `Source::alone`).
    #[inline]
    pub(crate) fn outer_cancelled(self) -> bool {
        self.parent.is_some_and(Token::chain_is_cancelled)
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The token of the loop whose iteration this thread is running, as a pointer to the
    /// `Arc` that its [`Entered`] guard borrows: entering a loop costs no reference count,
    /// which every thread visiting the loop would otherwise bounce between cores.
    static CURRENT: Cell<*const Arc<Token>> = const { Cell::new(std::ptr::null()) };
}

// loom's `thread_local!` has no `const` initializer.
#[cfg(loom)]
loom::thread_local! {
    static CURRENT: Cell<*const Arc<Token>> = Cell::new(std::ptr::null());
}

/// The current token, if this thread runs an iteration.
fn with_current<R>(f: impl FnOnce(Option<&Arc<Token>>) -> R) -> R {
    let current = CURRENT.with(Cell::get);
    // SAFETY: `CURRENT` is not null only while an `Entered` guard on this thread borrows the
    // `Arc` it points to (guards restore the previous pointer when dropped, innermost first,
    // and are never leaked: `enter`'s callers keep them on the stack).
    f(unsafe { current.as_ref() })
}

fn current() -> Option<Arc<Token>> {
    with_current(|current| current.cloned())
}

/// Whether this thread is running an iteration of a loop.
#[cfg(not(any(miri, loom)))]
pub(crate) fn in_iteration() -> bool {
    !CURRENT.with(Cell::get).is_null()
}

/// Makes `token` the current one on this thread until the guard is dropped.
pub(crate) fn enter(token: &Arc<Token>) -> Entered<'_> {
    let previous = CURRENT.with(|current| current.replace(token));
    Entered {
        previous,
        token: PhantomData,
    }
}

/// Restores the token that was current before [`enter`]; borrows the entered token's `Arc`
/// for as long as it is current.
pub(crate) struct Entered<'a> {
    previous: *const Arc<Token>,
    token: PhantomData<&'a Arc<Token>>,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        CURRENT.with(|current| current.set(self.previous));
    }
}

/// Whether the loop running the current iteration, or any loop it is nested in, has been
/// cancelled: by a failure, a `return` or a panic, or from outside (its
/// [`StopToken`](crate::StopToken) was stopped, or its timeout or deadline passed).
///
/// Long iterations poll it and return early: the loop's outcome is already decided, so
/// whatever they return is dropped. Outside any `failfast` loop it returns `false`.
///
/// # Example
///
/// ```
/// use std::time::{Duration, Instant};
///
/// let started = Instant::now();
/// let result = failfast_runtime::try_for_each(0..4, 4, |i| {
///     if i == 0 {
///         return Err("item 0 failed");
///     }
///     // The other iterations would run for a minute, but stop once the loop has failed.
///     while !failfast_runtime::cancelled() {
///         assert!(started.elapsed() < Duration::from_secs(60));
///         std::thread::sleep(Duration::from_millis(1));
///     }
///     Ok(())
/// });
/// assert_eq!(result, Err("item 0 failed"));
/// assert!(!failfast_runtime::cancelled(), "outside a loop nothing is cancelled");
/// ```
pub fn cancelled() -> bool {
    with_current(|current| {
        current.is_some_and(|token| token.is_cancelled() || token.past_deadline())
    })
}

/// The payload with which a thread loop cut short by the cancellation of a loop it runs in
/// leaves the iteration that ran it, rather than return `Ok` for the items it skipped (see
/// [`try_for_each`](crate::try_for_each)).
///
/// The enclosing loop drops it: it is no panic of that loop. It is raised with
/// `std::panic::resume_unwind`, which prints nothing. Code that catches unwinding between the
/// two loops (a job runner's `catch_unwind`, an executor's task, whose `JoinHandle` reports
/// it as a panic) should give it back with `resume_unwind` rather than treat it as a panic,
/// which would then win over the enclosing loop's own failure. It is not raised where it
/// would abort the process: while a panic unwinds (a loop run by a destructor then returns its
/// success value), or in a build with `panic = "abort"`; but an `extern "C"` function that
/// runs such a loop must catch it itself, as any panic.
///
/// # Example
///
/// ```
/// use failfast_runtime::CutShort;
/// use std::panic::{catch_unwind, resume_unwind};
///
/// let result = failfast_runtime::try_for_each(0..2, 2, |job| {
///     if job == 1 {
///         return Err("job 1 failed");
///     }
///     // A runner that turns a job's panic into its error.
///     match catch_unwind(|| {
///         // Endless: only the failure of job 1 ends it.
///         failfast_runtime::try_for_each(0u64.., 2, |_| {
///             std::thread::sleep(std::time::Duration::from_millis(1));
///             Ok(())
///         })
///     }) {
///         Ok(done) => done,
///         Err(cut) if cut.is::<CutShort>() => resume_unwind(cut),
///         Err(_) => Err("job 0 panicked"),
///     }
/// });
/// assert_eq!(result, Err("job 1 failed"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct CutShort;

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// A chain of `depth` tokens, each made inside an iteration of the one before (as a
    /// recursion's levels are), root first.
    fn chain(depth: usize) -> Vec<Arc<Token>> {
        let mut tokens: Vec<Arc<Token>> = Vec::new();
        for _ in 0..depth {
            let token = {
                let _inside = tokens.last().map(enter);
                Token::for_new_loop(None)
            };
            tokens.push(token);
        }
        tokens
    }

    #[test]
    fn a_cancellation_anywhere_up_the_chain_reaches_the_deepest_token() {
        for cancelled_at in [0, 1, 25, 48] {
            for by_stop in [false, true] {
                let tokens = chain(50);
                let deepest = &tokens[49];
                // Checked, and so verified at the tree's count, before the cancellation.
                assert!(!deepest.is_cancelled());
                assert!(!deepest.is_cancelled());
                match by_stop {
                    true => tokens[cancelled_at].stop(),
                    false => assert!(tokens[cancelled_at].end()),
                }
                assert!(deepest.is_cancelled(), "cancelled at {cancelled_at}");
                assert!(!tokens[cancelled_at + 1..49]
                    .iter()
                    .any(|token| token.watch().own_cancelled()));
            }
        }
    }

    #[test]
    fn a_level_made_after_the_check_sees_a_later_cancellation() {
        let mut tokens = chain(10);
        assert!(!tokens[9].is_cancelled());
        // A new level starts verified at the count, from its parent.
        let deeper = {
            let _inside = enter(&tokens[9]);
            Token::for_new_loop(None)
        };
        assert!(!deeper.is_cancelled());
        tokens.push(deeper);
        assert!(tokens[3].end());
        assert!(tokens[10].is_cancelled());
    }

    #[test]
    fn a_cancellation_in_another_branch_of_the_tree_is_not_this_ones() {
        let tokens = chain(5);
        let sibling = {
            let _inside = enter(&tokens[2]);
            Token::for_new_loop(None)
        };
        assert!(!tokens[4].is_cancelled());
        assert!(sibling.end());
        // The tree's count moved: the walk runs, and finds this chain live.
        assert!(!tokens[4].is_cancelled());
        assert!(!tokens[4].is_cancelled());
    }

    #[test]
    fn a_walk_that_found_the_chain_live_never_hides_a_cancellation_another_walk_saw() {
        let tokens = chain(5);
        let parent = &tokens[3];
        // Another branch's cancellation moves the tree's count: the next check walks.
        let sibling = {
            let _inside = enter(&tokens[1]);
            Token::for_new_loop(None)
        };
        assert!(sibling.end());
        // A walk from `parent` begins (the count read, the chain found live) ...
        let verified = parent.verified.load(Ordering::Relaxed);
        let seen = parent.tree().load(Ordering::Acquire);
        assert_ne!(verified, seen);
        // ... a loop above ends, its count not yet moved (the canceller is between the two
        // steps of `leave_live`) ...
        tokens[1].state.store(ENDED, Ordering::Release);
        // ... another thread's walk sees it, and that thread stops taking items ...
        assert!(tokens[4].is_cancelled());
        // ... and the first walk notes what it found only now.
        parent.note_live(verified, seen);
        // A later check, at the same count, still finds the cancellation.
        assert!(tokens[4].watch().outer_cancelled());
        assert!(tokens[4].is_cancelled());
    }

    #[test]
    fn a_finished_level_is_no_cancellation_of_the_levels_above() {
        let tokens = chain(4);
        assert!(tokens[3].settle());
        assert!(!tokens[2].is_cancelled());
        assert!(tokens[3].is_cancelled(), "its own state has left `LIVE`");
    }
}
