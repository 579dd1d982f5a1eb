//! How a run ended early: the first exit recorded wins, except that a panic wins over any.

use crate::cancel::Token;
use crate::outcome::Flow;
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
    } else if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
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

    /// Records how the run ended, unless an equal or stronger ending was recorded first, and
    /// cancels `token`. Returns once the ending is recorded and the token cancelled: the
    /// caller then wakes whoever waits on the run.
    pub(crate) fn record(&self, ending: Ending<F>, token: &Token) {
        self.keep(ending, || token.cancel());
    }

    /// Records a panic that came after the run's last iteration (dropping a leftover item).
    pub(crate) fn record_late_panic(&self, payload: Payload) {
        self.keep(Ending::Panic(payload), || {});
    }

    fn keep(&self, ending: Ending<F>, then: impl FnOnce()) {
        let discarded = {
            let mut recorded = lock(&self.ending);
            match (&*recorded, ending) {
                (None, ending) => recorded.replace(ending),
                (Some(Ending::Exit(_)), panic @ Ending::Panic(_)) => recorded.replace(panic),
                (Some(_), later) => Some(later),
            }
        };
        then();
        // Dropped outside the lock: an error's `Drop` may panic, and that panic ends the run
        // like any other.
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(discarded))) {
            let mut recorded = lock(&self.ending);
            if !matches!(*recorded, Some(Ending::Panic(_))) {
                *recorded = Some(Ending::Panic(payload));
            }
        }
    }

    /// The run's result, once every iteration has finished; a recorded panic resumes here.
    pub(crate) fn into_outcome<O: Flow<Exit = F>>(self) -> O {
        match self.ending.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(Ending::Panic(payload)) => resume_unwind(payload),
            Some(Ending::Exit(exit)) => O::from_exit(exit),
            None => O::success(),
        }
    }
}
