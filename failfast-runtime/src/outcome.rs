//! What one iteration reports, and how a loop's failure leaves the enclosing function.
//!
//! Both traits exist so that `Result` and `Option` loops are one code path in the engine and
//! one rewrite in the macro.

/// The value one iteration returns: success, or a failure that stops the loop.
///
/// Implemented for `Result<(), E>` (failure `E`) and `Option<()>` (failure: `None`).
pub trait Outcome: Sized {
    /// What a failed iteration carries back to the caller.
    type Failure: Send;
    /// The value of an iteration that succeeded (or ended early with `continue`).
    fn success() -> Self;
    /// Splits off the failure, if this iteration failed.
    fn into_failure(self) -> Option<Self::Failure>;

    /// Rebuilds a failed outcome.
    fn from_failure(failure: Self::Failure) -> Self;
}

impl<E: Send> Outcome for Result<(), E> {
    type Failure = E;

    fn success() -> Self {
        Ok(())
    }

    fn into_failure(self) -> Option<E> {
        self.err()
    }

    fn from_failure(failure: E) -> Self {
        Err(failure)
    }
}

impl Outcome for Option<()> {
    type Failure = ();

    fn success() -> Self {
        Some(())
    }

    fn into_failure(self) -> Option<()> {
        match self {
            Some(()) => None,
            None => Some(()),
        }
    }

    fn from_failure((): ()) -> Self {
        None
    }
}

/// The return type of a function (or closure) that holds a parallel loop.
///
/// It fixes the type each iteration returns, so that `?` in the loop body converts errors
/// with `From` into the function's own error type, exactly as in the sequential loop.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `#[fail_fast]` loop must be in a function returning `Result` or `Option`, not `{Self}`",
    label = "the first failure of the parallel loop leaves through here",
    note = "the loop's first failure is returned the way `?` would return it, so the enclosing function or closure must return `Result<_, _>` or `Option<_>`"
)]
pub trait Fallible: Sized {
    /// The type each iteration returns: `Result<(), E>` or `Option<()>`.
    ///
    /// Not bounded by [`Outcome`] here: the loop itself requires it, so that a missing `Send`
    /// on the error type is reported once, at the loop.
    type Iteration;
    /// What the function returns when the loop's outcome is a failure.
    fn exit(outcome: Self::Iteration) -> Option<Self>;
}

impl<T, E> Fallible for Result<T, E> {
    type Iteration = Result<(), E>;

    fn exit(outcome: Result<(), E>) -> Option<Self> {
        outcome.err().map(Err)
    }
}

impl<T> Fallible for Option<T> {
    type Iteration = Option<()>;

    fn exit(outcome: Option<()>) -> Option<Self> {
        match outcome {
            Some(()) => None,
            None => Some(None),
        }
    }
}
