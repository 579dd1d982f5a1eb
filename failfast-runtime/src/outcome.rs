//! What one iteration reports, and how a loop's exit leaves the enclosing function.
//!
//! Both traits exist so that every kind of loop (`Result`, `Option` or `()` functions; failures
//! and early `return`s) is one code path in the engines and one rewrite in the macro.
//!
//! The macro's iterations return the enclosing function's own return type wrapped around a
//! [`ControlFlow`]: for a function returning `Result<T, E>`, an iteration returns
//! `Result<ControlFlow<T>, E>`, so that `?` in the body converts errors with `From` exactly as
//! in the function, `Ok(Continue(()))` means "this iteration is done" and `return Ok(t)` in the
//! body becomes `Ok(Break(t))`: the loop's exit with the function's value.

use std::ops::ControlFlow;

/// The value one iteration of [`try_for_each`](crate::try_for_each) returns: success, or a
/// failure that stops the loop.
///
/// Implemented for `Result<(), E>` (failure `E`) and `Option<()>` (failure: `None`).
#[diagnostic::on_unimplemented(
    message = "an iteration of the loop returns `{Self}`, where `Result<(), E>` or `Option<()>` is expected",
    label = "its closure returns `{Self}`",
    note = "return `Ok(())` when the iteration succeeded and `Err(e)` when it failed (`Some(())` and `None` for `Option`); to collect a value from each iteration, in input order, use `try_map`, which takes `Ok(value)`"
)]
pub trait Outcome: Sized {
    /// What a failed iteration carries back to the caller.
    type Failure;
    /// The value of an iteration that succeeded (or ended early with `continue`).
    fn success() -> Self;
    /// Splits off the failure, if this iteration failed.
    fn into_failure(self) -> Option<Self::Failure>;
    /// Rebuilds a failed outcome.
    fn from_failure(failure: Self::Failure) -> Self;
}

// Not recommended: the trait's note says what to return, and rustc would quote these lines.
#[diagnostic::do_not_recommend]
impl<E> Outcome for Result<(), E> {
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

#[diagnostic::do_not_recommend]
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

/// What the engines run on: an iteration that is done, or an exit (a failure or an early
/// `return`) that ends the loop.
///
/// Every [`Outcome`] is one (its exit is its failure); the `ControlFlow` forms below are the
/// iterations of the `#[fail_fast]` rewrite, kept out of [`Outcome`] so that a closure passed
/// to [`try_for_each`](crate::try_for_each) still infers `Result<(), E>` from its `Ok(())`.
///
/// Its impls are not recommended in rustc's errors, so that an iteration of another type (only
/// a `return` that a user's macro writes gives one, which the rewrite cannot see) gets this
/// message and no list of impls quoting this file.
#[diagnostic::on_unimplemented(
    message = "a `return` in this parallel loop's body gives its iterations the type `{Self}`",
    label = "a macro in this loop's body may expand to a `return` of its own",
    note = "an iteration of a `#[fail_fast]` loop ends with `continue`, or leaves the loop with `return`, `?` or a macro's `return Err(..)` (as `bail!` does): a macro's `return Ok(..)`, `return Some(..)` or `return;` cannot be told from the end of an iteration",
    note = "write that `return` in the loop's body itself, or end the iteration with `continue`"
)]
pub trait LoopStep: Sized {
    /// What an iteration that ends the loop carries back to the caller.
    type Exit;
    /// The value of an iteration that finished (or ended early with `continue`).
    fn success() -> Self;
    /// Splits off the exit, if this iteration ends the loop.
    fn into_exit(self) -> Option<Self::Exit>;
    /// Rebuilds an iteration that ends the loop.
    fn from_exit(exit: Self::Exit) -> Self;
    /// `Some(self)` if this iteration ends the loop. A parallel loop nested directly in
    /// another's body hands its exit on with `if let Some(o) = LoopStep::stop(o) { return o; }`,
    /// which keeps the type the loop around it decided.
    fn stop(self) -> Option<Self> {
        self.into_exit().map(Self::from_exit)
    }
}

#[diagnostic::do_not_recommend]
impl<R: Outcome> LoopStep for R {
    type Exit = R::Failure;

    fn success() -> Self {
        Outcome::success()
    }

    fn into_exit(self) -> Option<R::Failure> {
        self.into_failure()
    }

    fn from_exit(exit: R::Failure) -> Self {
        R::from_failure(exit)
    }
}

/// An iteration of a loop in a function returning `Result<T, E>`: `Err(e)` fails the loop,
/// `Ok(Break(t))` is an early `return Ok(t)`.
#[diagnostic::do_not_recommend]
impl<T, E> LoopStep for Result<ControlFlow<T>, E> {
    type Exit = Result<T, E>;

    fn success() -> Self {
        Ok(ControlFlow::Continue(()))
    }

    fn into_exit(self) -> Option<Result<T, E>> {
        match self {
            Ok(ControlFlow::Continue(())) => None,
            Ok(ControlFlow::Break(value)) => Some(Ok(value)),
            Err(error) => Some(Err(error)),
        }
    }

    fn from_exit(exit: Result<T, E>) -> Self {
        exit.map(ControlFlow::Break)
    }
}

/// An iteration of a loop in a function returning `Option<T>`: `None` fails the loop,
/// `Some(Break(t))` is an early `return Some(t)`.
#[diagnostic::do_not_recommend]
impl<T> LoopStep for Option<ControlFlow<T>> {
    type Exit = Option<T>;

    fn success() -> Self {
        Some(ControlFlow::Continue(()))
    }

    fn into_exit(self) -> Option<Option<T>> {
        match self {
            Some(ControlFlow::Continue(())) => None,
            Some(ControlFlow::Break(value)) => Some(Some(value)),
            None => Some(None),
        }
    }

    fn from_exit(exit: Option<T>) -> Self {
        exit.map(ControlFlow::Break)
    }
}

/// An iteration of a loop that cannot fail (in a function returning `()`, say): only an early
/// `return` ends it.
#[diagnostic::do_not_recommend]
impl<T> LoopStep for ControlFlow<T> {
    type Exit = T;

    fn success() -> Self {
        ControlFlow::Continue(())
    }

    fn into_exit(self) -> Option<T> {
        match self {
            ControlFlow::Continue(()) => None,
            ControlFlow::Break(value) => Some(value),
        }
    }

    fn from_exit(exit: T) -> Self {
        ControlFlow::Break(exit)
    }
}

/// The return type of a function (or closure, or async block) that holds a parallel loop.
///
/// It fixes the type each iteration returns, so that `?` in the loop body converts errors
/// with `From` into the function's own error type, exactly as in the sequential loop, and so
/// that `return value` in the body can carry the function's value out of the loop.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `#[fail_fast]` loop must be in a function returning `Result`, `Option` or `()`, not `{Self}`",
    label = "the parallel loop's first exit leaves through here",
    note = "the loop's first failure or `return` leaves the enclosing function the way `?` or `return` would, so it must return `Result<_, _>`, `Option<_>` or `()`"
)]
pub trait Fallible: Sized {
    /// The type each iteration returns (a [`LoopStep`]).
    ///
    /// Not bounded by [`LoopStep`] here: the loop itself requires it, so that a missing `Send`
    /// on the error type is reported once, at the loop.
    type Iteration;
    /// The type each iteration returns when the loop's body has no `return`, only failures
    /// (an [`Outcome`]: `Result<(), E>`, `Option<()>`): rustc's errors about a `?` in the
    /// body then name the function's error type alone, as for the sequential loop (a `?` on
    /// an `Option` in a `Result` function is "compatible with `Result<(), E>`").
    type Failing;
    /// What the function returns when the loop's outcome is an exit.
    fn exit(outcome: Self::Iteration) -> Option<Self>;
    /// What the function returns when a loop without `return` has failed.
    fn failed(outcome: Self::Failing) -> Option<Self>;
    /// The iteration's value for `return self` in the loop body.
    fn early(self) -> Self::Iteration;
}

impl<T, E> Fallible for Result<T, E> {
    type Iteration = Result<ControlFlow<T>, E>;
    type Failing = Result<(), E>;

    fn exit(outcome: Self::Iteration) -> Option<Self> {
        outcome.into_exit()
    }

    fn failed(outcome: Self::Failing) -> Option<Self> {
        Outcome::into_failure(outcome).map(Err)
    }

    fn early(self) -> Self::Iteration {
        LoopStep::from_exit(self)
    }
}

impl<T> Fallible for Option<T> {
    type Iteration = Option<ControlFlow<T>>;
    type Failing = Option<()>;

    fn exit(outcome: Self::Iteration) -> Option<Self> {
        outcome.into_exit()
    }

    fn failed(outcome: Self::Failing) -> Option<Self> {
        Outcome::into_failure(outcome).map(|()| None)
    }

    fn early(self) -> Self::Iteration {
        LoopStep::from_exit(self)
    }
}

impl Fallible for () {
    type Iteration = ControlFlow<()>;
    // Nothing fails in a `()` function: its loop has no `?`, and only a `return` exits.
    type Failing = ControlFlow<()>;

    fn exit(outcome: Self::Iteration) -> Option<Self> {
        outcome.into_exit()
    }

    fn failed(outcome: Self::Failing) -> Option<Self> {
        outcome.into_exit()
    }

    fn early(self) -> Self::Iteration {
        ControlFlow::Break(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_early_return_and_a_failure_both_exit_with_the_functions_value() {
        type Iteration = Result<ControlFlow<u8>, String>;
        assert!(LoopStep::stop(Iteration::success()).is_none());
        assert_eq!(<Result<u8, String>>::exit(Iteration::success()), None);
        let returned = Fallible::early(Ok::<u8, String>(7));
        assert!(LoopStep::stop(Fallible::early(Ok::<u8, String>(7))).is_some());
        assert_eq!(<Result<u8, String>>::exit(returned), Some(Ok(7)));
        let failed: Iteration = Err("bad".into());
        assert_eq!(<Result<u8, String>>::exit(failed), Some(Err("bad".into())));
        assert_eq!(<Option<u8>>::exit(Fallible::early(Some(3))), Some(Some(3)));
        assert_eq!(<Option<u8>>::exit(None), Some(None));
        assert_eq!(<()>::exit(Fallible::early(())), Some(()));
        assert_eq!(<()>::exit(ControlFlow::Continue(())), None);
    }
}
