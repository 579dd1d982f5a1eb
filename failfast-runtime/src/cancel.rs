//! Cancellation tokens: one per loop, chained to the loop the loop was started from.

use crate::sync::{Arc, AtomicU8, Ordering};
use std::cell::Cell;
use std::marker::PhantomData;
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

/// The cancellation state of one loop. A nested loop's token points at the token of the
/// iteration that started it, so cancelling an outer loop cancels every loop inside it.
///
/// The state leaves `LIVE` once, by a compare-and-swap: whichever of an exit, a stop and the
/// loop's finishing comes first is how the loop ended (see `ending::Record`).
#[derive(Debug)]
pub(crate) struct Token {
    state: AtomicU8,
    parent: Option<Arc<Token>>,
    /// The earliest deadline of this loop and those it runs in that no timer thread stops
    /// them at (the OS refused one, see `stop.rs`): [`cancelled`] turns `true` there, so that
    /// iterations waiting for it end, and a worker then stops the loop.
    deadline: Option<Instant>,
}

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
        Arc::new(Token {
            state: AtomicU8::new(LIVE),
            parent,
            deadline,
        })
    }

    /// Whether an unwatched deadline of this loop, or of one it runs in, has passed.
    pub(crate) fn has_deadline(&self) -> bool {
        self.deadline.is_some()
    }

    pub(crate) fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// Moves the state from `LIVE` to `to`; `false` if it had left `LIVE` already.
    fn leave_live(&self, to: u8) -> bool {
        self.state
            .compare_exchange(LIVE, to, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
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

    /// The loop's last iteration has finished, and nothing ended it before: whether this
    /// call settled that (nothing did before it).
    pub(crate) fn settle(&self) -> bool {
        self.leave_live(FINISHED)
    }

    /// The loop's last iteration has finished: whether it was stopped from outside before.
    pub(crate) fn finish(&self) -> bool {
        !self.leave_live(FINISHED) && self.state.load(Ordering::Acquire) == STOPPED
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

    #[inline(never)]
    fn chain_is_cancelled(&self) -> bool {
        let mut token = self;
        loop {
            if token.state.load(Ordering::Acquire) != LIVE || token.past_deadline() {
                return true;
            }
            match &token.parent {
                Some(parent) => token = parent,
                None => return false,
            }
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
