//! How a run ended early: the first exit recorded wins, except that a panic wins over any.

use crate::cancel::Token;
use crate::outcome::Flow;
use crate::sync::{lock, Mutex};
use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// A panic's payload, as `catch_unwind` gives it.
pub(crate) type Payload = Box<dyn Any + Send>;

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
