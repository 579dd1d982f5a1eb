//! Fault injection for the runtime's own tests: the cargo feature `fault-injection` (off by
//! default, enabled by the runtime's dev-dependency on itself) makes the OS "refuse" chosen
//! thread starts, as a memory, pids or thread limit would. Not part of the API: without the
//! feature none of this exists, and a thread start costs nothing more.

use std::sync::Mutex;
use std::time::Duration;

/// Which of the next thread starts are refused, counted from the call to
/// [`refuse_thread_starts`] that set it. A start that hands a job to an idle pool thread
/// counts too: a test cannot know which threads the cache holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refuse {
    /// Every start succeeds (when the OS allows it).
    Never,
    /// The `n`th start (1 for the next one) is refused, the others succeed.
    Nth(usize),
    /// The first `n` starts succeed, every one after them is refused.
    AllAfter(usize),
}

struct Policy {
    refuse: Refuse,
    /// Which start is late, and by how much (see [`delay_thread_start`]).
    late: Option<(usize, Duration)>,
    attempts: usize,
    refused: usize,
}

static POLICY: Mutex<Policy> = Mutex::new(Policy {
    refuse: Refuse::Never,
    late: None,
    attempts: 0,
    refused: 0,
});

fn policy() -> std::sync::MutexGuard<'static, Policy> {
    POLICY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Refuses thread starts from now on as `refuse` says, and resets the counts.
///
/// ```
/// use failfast_runtime::fault::{refuse_thread_starts, refused_thread_starts, Refuse};
///
/// refuse_thread_starts(Refuse::AllAfter(0));
/// let result: Result<(), ()> = failfast_runtime::try_for_each(0..100, 4, |_| Ok(()));
/// assert_eq!(result, Ok(())); // the calling thread ran them all
/// assert!(refused_thread_starts() <= 1); // a group stops asking after a refusal
/// refuse_thread_starts(Refuse::Never);
/// ```
pub fn refuse_thread_starts(refuse: Refuse) {
    *policy() = Policy {
        refuse,
        late: None,
        attempts: 0,
        refused: 0,
    };
}

/// Makes the `nth` thread start from now on (1 for the next one, counted as
/// [`refuse_thread_starts`] counts) late: the thread that is handed the job begins it only
/// `by` later, as one does that the system left queued behind a busy thread on its core.
/// Refuses no start, and resets the counts: it replaces what [`refuse_thread_starts`] set,
/// as that replaces it.
///
/// ```
/// use failfast_runtime::fault::{delay_thread_start, refuse_thread_starts, Refuse};
/// use std::time::{Duration, Instant};
///
/// delay_thread_start(1, Duration::from_millis(50));
/// let begin = Instant::now();
/// let result: Result<(), ()> = failfast_runtime::try_for_each(0..100, 2, |_| Ok(()));
/// assert_eq!(result, Ok(()));
/// // The loop waits for its late thread, which then finds nothing left.
/// assert!(begin.elapsed() >= Duration::from_millis(50));
/// refuse_thread_starts(Refuse::Never);
/// ```
pub fn delay_thread_start(nth: usize, by: Duration) {
    *policy() = Policy {
        refuse: Refuse::Never,
        late: Some((nth, by)),
        attempts: 0,
        refused: 0,
    };
}

/// How many thread starts were refused since [`refuse_thread_starts`].
pub fn refused_thread_starts() -> usize {
    policy().refused
}

/// How many thread starts were asked for since [`refuse_thread_starts`], refused or not.
pub fn thread_starts() -> usize {
    policy().attempts
}

/// What becomes of a thread start (see [`this_start`]).
pub(crate) struct ThisStart {
    /// It is refused.
    pub(crate) refused: bool,
    /// The thread begins its job this much later (see [`delay_thread_start`]).
    pub(crate) late: Option<Duration>,
}

/// Counts a thread start, and says what becomes of it: both under one lock, so that two
/// starts at once cannot swap what each is told.
pub(crate) fn this_start() -> ThisStart {
    let mut policy = policy();
    policy.attempts += 1;
    let refused = match policy.refuse {
        Refuse::Never => false,
        Refuse::Nth(n) => policy.attempts == n,
        Refuse::AllAfter(n) => policy.attempts > n,
    };
    policy.refused += usize::from(refused);
    let late = match policy.late {
        Some((nth, by)) if policy.attempts == nth => Some(by),
        _ => None,
    };
    ThisStart { refused, late }
}

/// What [`on_finished`] calls.
type Hook = Box<dyn Fn() + Send + Sync>;

static FINISHED: Mutex<Option<Hook>> = Mutex::new(None);

/// Calls `hook` (`None`: nothing) each time a thread loop's run has finished, at the point
/// where its outcome is settled: its last iteration has finished and its input is exhausted,
/// and its owner is about to be woken (or, if the owner saw it first, is about to return).
/// A test stops the loop's token there, to hit the moment "after the last iteration, before
/// the owner returns" deterministically.
///
/// ```
/// use failfast_runtime::fault::on_finished;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// let finished = Arc::new(AtomicUsize::new(0));
/// let seen = Arc::clone(&finished);
/// on_finished(Some(Box::new(move || {
///     seen.fetch_add(1, Ordering::SeqCst);
/// })));
/// let result: Result<(), ()> = failfast_runtime::try_for_each(0..100, 4, |_| Ok(()));
/// on_finished(None);
/// assert_eq!(result, Ok(()));
/// assert_eq!(finished.load(Ordering::SeqCst), 1);
/// ```
pub fn on_finished(hook: Option<Box<dyn Fn() + Send + Sync>>) {
    *FINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = hook;
}

/// A run has finished: calls the hook of [`on_finished`], if any.
pub(crate) fn finished() {
    if let Some(hook) = &*FINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
    {
        hook();
    }
}
