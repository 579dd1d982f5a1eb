//! A variable declared outside a parallel loop that a `return` of its body moves out
//! (`return Ok(fallback)`). Sequentially the `return` leaves the loop, so the value moves once;
//! in parallel several iterations may reach it at once.
//!
//! Where the macro can see that nothing else in the loop uses such variables and that the code
//! after the loop is their scope, it moves them into a [`Kept`] before the loop: the first
//! iteration that reaches such a `return` takes them all, and the code after the loop gets
//! back the ones it uses if none did. Elsewhere it asks rustc with [`moved_by_return`], which
//! accepts a `Copy` value and says what to write for any other.

use std::marker::PhantomData;
use std::sync::{Mutex, PoisonError};

/// The variables that only the `return`s of a parallel loop's body move out, moved in here
/// before the loop as one tuple (`let kept = Kept::keep((fallback,));`).
///
/// The first iteration that reaches such a `return` takes them all, whichever of them its
/// `return` moves (one cell for all: iterations that took one each could none of them
/// return). It then leaves the loop: with its `return`, unless another exit (a failure, a
/// stop, a panic) was recorded first, or its value fails (`?`) or panics on the way. An
/// iteration that reaches such a `return` after it ends without returning: the values are
/// gone, and the loop is about to end with the first one's exit or an earlier one. (Had it
/// returned a clone, its exit might have come first.) When the loop ends without an exit,
/// nothing was taken, and the code after the loop gets the values back with
/// [`Kept::into_kept`].
///
/// A `Mutex`: it is locked once per such `return`, and the iterations of a thread loop share
/// it (so the values must be `Send`, as the exit that carries them must be).
pub struct Kept<T>(Mutex<Option<T>>);

impl<T> Kept<T> {
    /// Keeps `value` (a tuple of the variables) for the first `return` that takes it.
    #[inline]
    pub fn keep(value: T) -> Self {
        Kept(Mutex::new(Some(value)))
    }

    /// The values, for the first caller only.
    #[inline]
    pub fn take(&self) -> Option<T> {
        // A panic cannot leave the `Option` half-changed: a poisoned lock is as good as any.
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// The values again, after a loop that ended without an exit.
    ///
    /// # Panics
    ///
    /// If an iteration took the values and then did not leave the loop, which the macro rules
    /// out: it keeps only variables whose `return`s hold no `continue`, and an iteration that
    /// took them leaves (see [`Kept`]).
    #[inline]
    pub fn into_kept(self) -> T {
        self.0
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .expect("a `return` took the kept values and did not leave the loop")
    }
}

/// A variable declared outside a parallel loop that a `return` (or `?`) of its body moves out
/// by value (`return Ok(fallback)`): every iteration that reaches it would move the one value
/// that the iterations share, which only a `Copy` value allows. (Sequentially the `return`
/// leaves the loop, so the value is moved once.) Where the macro does not keep the variable
/// (see [`Kept`]), the rewrite checks it with [`moved_by_return`] after the loop (where the
/// body's uses have settled its type), at the variable, so that rustc reports this rather
/// than a move out of a closure the user did not write.
#[diagnostic::on_unimplemented(
    message = "leaving the loop here moves `{Self}` out of a variable declared outside the parallel loop, which its iterations share",
    label = "several iterations may leave here at once (by this `return` or `?`), and each would move this value",
    note = "only a `Copy` value can be moved out by several iterations: return a clone that the iteration makes (`.clone()`), or build the value inside the body",
    note = "a variable declared in the block that holds the loop is moved once, by the first `return`, where the loop mentions it only in its `return`s and nothing borrows it across the loop: if the iterations also read it, copy what they read into variables before the loop (`let target = self.target;`, `let name = cfg.name.clone();`)"
)]
pub trait MovedByReturn {}
#[diagnostic::do_not_recommend]
impl<T: Copy> MovedByReturn for T {}

/// See [`MovedByReturn`].
#[inline(always)]
pub fn moved_by_return(_: &dyn MovedByReturn) {}

/// A place declared outside a parallel loop that the body's own code moves out by value
/// (`take(owned)`, `let name = cfg.name;`, `names.push(owned)`): every iteration that gets
/// there would move the one value that the iterations share, which only a `Copy` value allows.
/// (A sequential loop cannot move it in every iteration either.) The rewrite checks it with
/// [`moved_by_iteration`] after the loop, at the place, as it checks [`MovedByReturn`], so
/// that rustc reports this rather than a move out of a closure the user did not write.
#[diagnostic::on_unimplemented(
    message = "an iteration moves `{Self}` out of a place declared outside the parallel loop, which its iterations share",
    label = "every iteration that gets here would move this same value",
    note = "only a `Copy` value can be moved out again by every iteration: pass a clone that the iteration makes (`.clone()`) or a reference (`&`; `.as_ref()` for an `Option`'s contents), or build the value inside the body"
)]
pub trait MovedByIteration {}
#[diagnostic::do_not_recommend]
impl<T: Copy> MovedByIteration for T {}

/// See [`MovedByIteration`].
#[inline(always)]
pub fn moved_by_iteration(_: &dyn MovedByIteration) {}

/// A variable that a thread loop keeps for its first `return` (see [`Kept`]) goes to the pool
/// thread that returns it, so it must be `Send`: checked at `for`, with the variable, so
/// that rustc reports one that is not in the loop's terms rather than as a bound of the
/// body's closure on [`Kept`] (the same error at the same place, which it then leaves out).
#[diagnostic::on_unimplemented(
    message = "a `return` in this parallel loop moves `{Self}` out of a variable declared before it, but it cannot be sent between threads safely",
    label = "the first iteration to reach that `return` takes the value, on whichever thread runs it",
    note = "return a value that can be sent between threads (an `Arc` instead of an `Rc`, an owned `String` instead of a guard), or build it inside the body"
)]
pub trait KeptForReturn: Send {}
impl<T: ?Sized + Send> KeptForReturn for T {}

/// See [`KeptForReturn`].
#[inline(always)]
pub fn kept_for_return(_: &dyn KeptForReturn) {}

/// A variable that a `return` passes on, for [`MovedByReturn`]: the rewrite writes
/// `if let Some(v) = (&returned_value(&v)).__failfast_moved() { moved_by_return(v) }`. A
/// `&mut` is not moved where the callee takes a reference (`check(config)?`): rustc reborrows
/// it, and [`Reborrowed`] gives nothing to check (one that is really moved, rustc reports).
/// Any other value is, through [`MovedValue`] by autoref.
pub struct Returned<T>(PhantomData<fn() -> T>);

/// See [`Returned`]; the value is only read for its type.
#[inline(always)]
pub fn returned_value<T>(_: &T) -> Returned<T> {
    Returned(PhantomData)
}

/// [`returned_value`] for a field, by a raw pointer (`&` of a packed struct's field is
/// refused); the pointer is only read for its type.
#[inline(always)]
pub fn moved_place<T>(_: *const T) -> Returned<T> {
    Returned(PhantomData)
}

/// See [`Returned`]: a `&mut`, reborrowed.
pub trait Reborrowed {
    /// Nothing to check.
    #[inline(always)]
    fn __failfast_moved(&self) -> Option<&()> {
        None
    }
}
impl<T: ?Sized> Reborrowed for Returned<&mut T> {}

/// See [`Returned`]: any other value, moved.
pub trait MovedValue {
    /// The value's type.
    type Value;
    /// Never the value: its type is what the rewrite checks.
    fn __failfast_moved(&self) -> Option<&Self::Value>;
}

impl<T> MovedValue for &Returned<T> {
    type Value = T;
    #[inline(always)]
    fn __failfast_moved(&self) -> Option<&T> {
        None
    }
}
