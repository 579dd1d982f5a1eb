//! How a run ended early: the first exit recorded wins, except that a panic wins over any;
//! and how a run that an enclosing loop cut short leaves (see [`CutShort`]).
//!
//! A stop from outside is an exit too, recorded in the run's [`Token`] rather than here: its
//! state leaves `LIVE` once, by a compare-and-swap, for an exit, a stop or the run's finishing,
//! and an exit that finds the stop there first is dropped, like the exits of iterations that
//! were running when another exit was recorded.
//!
//! The run's finishing takes part in that race as soon as it is true, not when the owner gets
//! round to it: the last thread to leave a run whose input is exhausted (and whose owner pulls
//! no more) moves the state to `FINISHED` under the group's lock, before it notifies the
//! owner (`Group::leave`); if the owner's input ends only after that, the owner does it, under
//! the same lock, before it returns (`Published::next_step`). Every visit starts under that
//! lock too, so no iteration can start after the run was settled. A stop that comes after
//! every iteration has finished, in the microseconds before the owner has woken, therefore
//! finds the state `FINISHED` and changes nothing: the loop succeeds, as the contract says.

use crate::cancel::{CutShort, Token};
use crate::outcome::LoopStep;
use crate::stop::Stopped;
use crate::sync::{lock, Mutex};
use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// A panic's payload, as `catch_unwind` gives it.
pub(crate) type Payload = Box<dyn Any + Send>;

/// Drops each of `items` on its own, catching a panicking `Drop`: one item's panic neither
/// skips the others nor, while another panic unwinds, aborts the process (as dropping them in
/// one slice would). Returns the first payload; later ones are discarded.
pub(crate) fn drop_each<T>(items: impl Iterator<Item = T>) -> Option<Payload> {
    if !std::mem::needs_drop::<T>() {
        // Nothing can panic: the caller drops the rest as it would have.
        return None;
    }
    let mut first = None;
    for item in items {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(item))) {
            keep_first(&mut first, payload);
        }
    }
    first
}

/// Keeps `payload` in `first` unless it holds one already; a later payload is discarded,
/// and if even its own `Drop` panics, it is leaked rather than abort.
pub(crate) fn keep_first(first: &mut Option<Payload>, payload: Payload) {
    if first.is_none() {
        *first = Some(payload);
    } else {
        discard(payload);
    }
}

/// Drops a panic's payload that lost to another, catching a panicking `Drop` of it, whose own
/// payload is leaked rather than dropped: its `Drop` may panic too, and nothing would catch
/// that one.
pub(crate) fn discard(payload: Payload) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
        std::mem::forget(again);
    }
}

/// Drops `items` after a panic whose payload is `first`, which stays the first: a panicking
/// `Drop` among them is discarded.
pub(crate) fn drop_after<T>(first: Payload, items: impl Iterator<Item = T>) -> Payload {
    let mut first = Some(first);
    if let Some(late) = drop_each(items) {
        keep_first(&mut first, late);
    }
    first.unwrap_or_else(|| unreachable!("`first` was given"))
}

/// For a `Drop` impl that drops items with [`drop_each`]: resumes the first panic, unless a
/// panic is unwinding already (then the first panic is that one, and this one is discarded).
pub(crate) fn resume_first(first: Option<Payload>) {
    if let Some(payload) = first {
        if std::thread::panicking() {
            keep_first(&mut Some(Box::new(())), payload);
        } else {
            resume_unwind(payload);
        }
    }
}

/// The values a loop collects for its caller (`try_map`'s). If the loop does not hand them
/// over (it failed, or unwinds), they are dropped one by one, as items are (see
/// [`drop_each`]): two values whose `Drop` panics would abort in a plain `Vec`.
pub(crate) struct Values<T>(Vec<T>);

impl<T> Values<T> {
    pub(crate) const fn new() -> Self {
        Values(Vec::new())
    }

    pub(crate) fn push(&mut self, value: T) {
        self.0.push(value);
    }

    /// The values, handed over.
    pub(crate) fn into_vec(mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }
}

impl<T> Drop for Values<T> {
    fn drop(&mut self) {
        resume_first(drop_each(self.0.drain(..)));
    }
}

/// Leaves the iteration that ran a loop cut short by an enclosing loop's cancellation, with
/// [`CutShort`]: its result would claim work it skipped (`Ok(())` for a batch whose later
/// items never started, or a `try_map` with some of its values missing), and code after it
/// in the enclosing iteration would build on that. The enclosing run drops the payload rather
/// than resume it (see [`swallowed`]): that run, or one it runs in, is cancelled, and drops
/// what the iteration would have returned. `resume_unwind` runs no panic hook: nothing is
/// printed.
///
/// Built with `panic = "abort"`, where an unwind would abort the process, such a loop returns
/// its success value: the crate's docs say so.
#[cfg(panic = "unwind")]
fn cut_short() -> ! {
    resume_unwind(Box::new(CutShort))
}

/// Whether `payload`, caught in the run of `token`, is a [`CutShort`] of a loop nested in it
/// that the run's cancellation explains: the run ended or was stopped, or a loop it runs in
/// was cancelled, or an unwatched deadline passed (before a worker got round to stopping the
/// loop whose deadline it is). The iteration was cancelled with the run, and there is nothing
/// to record. Not the run's own finishing, which [`Token::is_cancelled`] counts: a
/// `CutShort` caught after it (dropping the input), or where no cancellation explains it (a
/// user's `catch_unwind` that resumed it elsewhere), is recorded as the panic it then is.
pub(crate) fn swallowed(payload: &Payload, token: &Token) -> bool {
    payload.is::<CutShort>()
        && (token.ended_or_stopped() || token.watch().outer_cancelled() || token.past_deadline())
}

/// How a loop ended early.
pub(crate) enum Ending<F> {
    /// A failure or an early return.
    Exit(F),
    Panic(Payload),
}

/// The ending of one run, written by whichever thread ends it first.
pub(crate) struct Record<F> {
    ending: Mutex<Option<Ending<F>>>,
}

impl<F> Record<F> {
    pub(crate) fn new() -> Self {
        Record {
            ending: Mutex::new(None),
        }
    }

    /// Records how the run ended, unless an equal or stronger ending was recorded first (a
    /// stop from outside, in `token`, is stronger than an exit), and cancels `token`. Returns
    /// once the ending is recorded and the token cancelled: the caller then wakes whoever
    /// waits on the run.
    pub(crate) fn record(&self, ending: Ending<F>, token: &Token) {
        self.keep(ending, Some(token));
    }

    /// Records a panic that came after the run's last iteration (dropping a leftover item).
    pub(crate) fn record_late_panic(&self, payload: Payload) {
        self.keep(Ending::Panic(payload), None);
    }

    fn keep(&self, ending: Ending<F>, token: Option<&Token>) {
        let discarded = {
            let mut recorded = lock(&self.ending);
            match (&*recorded, ending) {
                // Only this lock's holder moves the token from `LIVE` for an exit, so the
                // first exit recorded here is the first to try.
                (None, exit @ Ending::Exit(_)) => {
                    if token.is_none_or(Token::end) {
                        recorded.replace(exit)
                    } else {
                        Some(exit)
                    }
                }
                (None, panic @ Ending::Panic(_)) => {
                    // A panic wins over a stop as over any exit.
                    if let Some(token) = token {
                        token.end();
                    }
                    recorded.replace(panic)
                }
                (Some(Ending::Exit(_)), panic @ Ending::Panic(_)) => recorded.replace(panic),
                (Some(_), later) => Some(later),
            }
        };
        // Dropped outside the lock: an error's `Drop` may panic, and that panic ends the run
        // like any other.
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(discarded))) {
            let mut recorded = lock(&self.ending);
            let lost = if matches!(*recorded, Some(Ending::Panic(_))) {
                Some(Ending::Panic(payload))
            } else {
                recorded.replace(Ending::Panic(payload))
            };
            drop(recorded);
            // What lost to the panic recorded (an exit, or this panic's payload) may panic as
            // it drops too: with nothing left to catch that, it is discarded, not unwound into
            // the visit, which would never leave its run.
            if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(lost))) {
                discard(again);
            }
        }
    }

    /// The run's result, once every iteration has finished; a recorded panic resumes here,
    /// and `stopped` is the stop from outside that came before any exit, if one did. With
    /// neither, a run that a loop it runs in cancelled (`cut`) unwinds with [`CutShort`]
    /// rather than succeed.
    pub(crate) fn into_outcome<O: LoopStep<Exit = F>>(
        self,
        stopped: Option<Stopped>,
        cut: bool,
    ) -> Result<O, Stopped> {
        match self.ending.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(Ending::Panic(payload)) => resume_unwind(payload),
            Some(Ending::Exit(exit)) => Ok(O::from_exit(exit)),
            None => match stopped {
                Some(stopped) => Err(stopped),
                // Not while a panic (or another `CutShort`) unwinds: a loop run by a
                // destructor then would abort the process.
                #[cfg(panic = "unwind")]
                None if cut && !std::thread::panicking() => cut_short(),
                None => {
                    let _ = cut;
                    Ok(O::success())
                }
            },
        }
    }
}
