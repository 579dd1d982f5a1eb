//! Cancellation tokens: one per loop, chained to the loop the loop was started from.

use crate::sync::{Arc, AtomicBool, Ordering};
use std::cell::RefCell;

/// The cancellation state of one loop. A nested loop's token points at the token of the
/// iteration that started it, so cancelling an outer loop cancels every loop inside it.
#[derive(Debug)]
pub(crate) struct Token {
    cancelled: AtomicBool,
    parent: Option<Arc<Token>>,
}

impl Token {
    /// A token for a loop started on this thread: a child of the loop this thread is
    /// running an iteration of, if any.
    pub(crate) fn for_new_loop() -> Arc<Token> {
        Arc::new(Token {
            cancelled: AtomicBool::new(false),
            parent: current(),
        })
    }

    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    /// Checked before every item a loop starts: the token's own flag inline, the chain of
    /// enclosing loops out of line.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
            || self
                .parent
                .as_deref()
                .is_some_and(Token::chain_is_cancelled)
    }

    #[inline(never)]
    fn chain_is_cancelled(&self) -> bool {
        let mut token = self;
        loop {
            if token.cancelled.load(Ordering::Acquire) {
                return true;
            }
            match &token.parent {
                Some(parent) => token = parent,
                None => return false,
            }
        }
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The token of the loop whose iteration this thread is running.
    static CURRENT: RefCell<Option<Arc<Token>>> = const { RefCell::new(None) };
}

// loom's `thread_local!` has no `const` initializer.
#[cfg(loom)]
loom::thread_local! {
    static CURRENT: RefCell<Option<Arc<Token>>> = RefCell::new(None);
}

fn current() -> Option<Arc<Token>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// Makes `token` the current one on this thread until the guard is dropped.
pub(crate) fn enter(token: Arc<Token>) -> Entered {
    let previous = CURRENT.with(|current| current.replace(Some(token)));
    Entered { previous }
}

/// Restores the token that was current before [`enter`].
pub(crate) struct Entered {
    previous: Option<Arc<Token>>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

/// Whether the loop running the current iteration, or any loop it is nested in, has been
/// cancelled by a failure or a panic.
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
    CURRENT.with(|current| {
        current
            .borrow()
            .as_ref()
            .is_some_and(|token| token.is_cancelled())
    })
}
