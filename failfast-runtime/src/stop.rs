//! Stopping a loop from outside: [`StopToken`], [`Stopped`], and the timer that stops a loop at
//! its deadline.
//!
//! # The waiter list
//!
//! A token keeps one list of what to wake when it is stopped: [`Waker`]s (a thread loop's run
//! registers one that cancels the run and notifies its group's [`Signal`](crate::wake::Signal);
//! an async loop's, one that wakes the task awaiting the loop; a thread in
//! [`StopToken::wait`], one that unparks it) and the token's children. Whoever stops the token
//! sets its state under the list's lock and takes the list; whoever registers checks the state
//! under the same lock. So a registration either comes first, and is woken, or sees the token
//! stopped and does not wait: no wake-up is lost, and nothing polls. Reading the state
//! ([`StopToken::is_stopped`]) takes no lock: an atomic load, as tokio-util made its
//! `CancellationToken::is_cancelled` (tokio #8138), since iterations may check it per item. A
//! reader that sees "not stopped" and then waits must register first, which re-reads under the
//! lock; that is where the ordering comes from, not from the load.
//!
//! # Deadlines
//!
//! A loop with a timeout or deadline stops a token of its own (a child of its `stop` token, if
//! any) at that instant. One thread per process does this for every loop: it sleeps until the
//! earliest deadline (a timed wait on a condition variable, woken early only when an earlier
//! deadline is added), stops the tokens that are due, and exits after [`TIMER_IDLE`] with no
//! deadline left. A loop's own threads cannot be the ones to wait: while every worker (the
//! calling thread included) runs an iteration, none of them waits on anything, and the
//! iterations must see [`cancelled`](crate::cancelled) turn `true` at the deadline.
//!
//! If the OS refuses that thread (a memory, pids or thread limit), the loop still stops at its
//! deadline, as the next deadline asks for the thread again: its token then carries the
//! deadline ([`StopToken::unwatched_deadline`]), and the loop's own threads stop it there. The
//! run's owner waits for its run with a timed wait that ends at the deadline, and looks at the
//! clock before each evaluation of a `while let` head; a worker compares the clock with it
//! before each claim (such a run never holds its input alone, which would skip the claims);
//! an iteration's failure is recorded only after that look, so one caused by the deadline
//! loses to it; [`cancelled`](crate::cancelled) turns `true` at it, in loops nested in the
//! loop too (their tokens read the deadline of the chain), so that iterations waiting for the
//! stop return and let their worker see the deadline. Each is a timed wait or a look at the clock
//! between units of work that happen anyway, never a loop that spins on the clock. Less prompt
//! than the timer (an iteration that never asks `cancelled()` is waited for), but a loop over
//! an endless input never runs on without its timeout.

use crate::sync::{lock, Arc, AtomicU8, AtomicUsize, Mutex, Ordering};
use std::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::task::Waker;
use std::time::{Duration, Instant};

/// The state of a token that has not been stopped.
const LIVE: u8 = 0;
/// Stopped by [`StopToken::stop`].
const STOPPED: u8 = 1;
/// Stopped by a timeout or deadline.
const TIMED_OUT: u8 = 2;

/// A handle to stop loops from outside: from another thread, a Ctrl-C handler's thread (as
/// the `ctrlc` crate runs it; not from inside a raw `sigaction` handler: `stop` takes a lock),
/// a timer task.
///
/// Pass it to a loop with `#[fail_fast(stop = token)]`, [`Loop::stop`](crate::Loop::stop) or
/// [`future::Loop::stop`](crate::future::Loop::stop); when it is stopped, the loop stops as at
/// a failure (nothing more is pulled or started, running thread iterations see
/// [`cancelled`](crate::cancelled) return `true`, async iterations are dropped) and returns
/// [`Stopped`]. Threads and tasks waiting on the loop are woken at once: nothing polls the
/// token.
///
/// Clones share one state: stopping any clone stops them all. [`child`](Self::child) makes a
/// token that is stopped with this one but can also be stopped alone (one request of a server,
/// say). Stopping is permanent and idempotent.
///
/// # Examples
///
/// ```
/// use failfast_runtime::{Loop, StopToken, Stopped};
///
/// let token = StopToken::new();
/// let result: Result<(), Stopped> = Loop::new(4).stop(&token).try_for_each(0.., |i| {
///     if i == 100 {
///         token.stop(); // from inside, for the example; usually another thread or a handler
///     }
///     Ok(())
/// });
/// assert_eq!(result, Err(Stopped::by_token()));
/// assert!(token.is_stopped());
/// ```
pub struct StopToken {
    node: Arc<Node>,
    /// For a loop's own token only: the deadline at which the loop must stop it itself,
    /// because the timer thread could not be started (see [`Armed::new`]).
    unwatched: Option<Instant>,
}

struct Node {
    /// `LIVE` until stopped, then why; written once, under `waiters`' lock.
    state: AtomicU8,
    waiters: Mutex<Waiters>,
    /// Handles ([`StopToken`]s) to this node: when the last one goes, a child leaves its
    /// parent's list (the parent's list holds the node itself, so the node's own drop would
    /// never come).
    handles: AtomicUsize,
    /// The parent whose list holds this node, and its key there.
    parent: Option<(Arc<Node>, usize)>,
}

/// What a token wakes when it is stopped, by key: a slot is emptied when its waiter leaves.
#[derive(Default)]
struct Waiters {
    list: Vec<Option<Waiter>>,
    free: Vec<usize>,
}

enum Waiter {
    Wake(Waker),
    Child(Arc<Node>),
}

impl Waiters {
    fn insert(&mut self, waiter: Waiter) -> usize {
        match self.free.pop() {
            Some(key) => {
                self.list[key] = Some(waiter);
                key
            }
            None => {
                self.list.push(Some(waiter));
                self.list.len() - 1
            }
        }
    }

    /// The key the next [`insert`](Self::insert) returns.
    fn next_key(&self) -> usize {
        self.free.last().copied().unwrap_or(self.list.len())
    }
}

impl Node {
    fn new(parent: Option<(Arc<Node>, usize)>, state: u8) -> Node {
        Node {
            state: AtomicU8::new(state),
            waiters: Mutex::new(Waiters::default()),
            handles: AtomicUsize::new(1),
            parent,
        }
    }

    /// Why this token, or a parent of it, was stopped. A parent is read too: its stop reaches
    /// its children only once its waker list is worked through, and a reader that sees the
    /// parent stopped must not see the child live (a loop's failure caused by the stop would
    /// otherwise win over it).
    fn reason(&self) -> Option<Stopped> {
        let mut node = self;
        loop {
            match node.state.load(Ordering::Acquire) {
                LIVE => match &node.parent {
                    Some((parent, _)) => node = parent,
                    None => return None,
                },
                state => {
                    return Some(Stopped {
                        timed_out: state == TIMED_OUT,
                    })
                }
            }
        }
    }

    /// Gives back a handle ([`StopToken`], or a child node, which keeps its parent listed so
    /// that the parent's stop reaches it): when the last goes, nobody can stop this node
    /// alone any more, and its parent need not keep it.
    fn release(&self) {
        if self.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            if let Some((parent, key)) = &self.parent {
                parent.forget(*key);
            }
        }
    }

    fn stop(&self, reason: u8) {
        // Children are stopped in turn, not by recursion: a chain of children as long as a
        // program makes (one per level of a recursion, say) must not overflow the stack of
        // the thread that stops the root. A waker that panics (an executor's) must not keep
        // the others from being woken; the first panic goes on once all were.
        let mut first = None;
        let mut children = Vec::new();
        self.stop_alone(reason, &mut children, &mut first);
        while let Some(child) = children.pop() {
            child.stop_alone(reason, &mut children, &mut first);
        }
        if let Some(payload) = first {
            resume_unwind(payload);
        }
    }

    /// Stops this node: wakes its wakers, and hands its children to `children`, to stop
    /// next. The first waker's panic goes to `first`.
    fn stop_alone(
        &self,
        reason: u8,
        children: &mut Vec<Arc<Node>>,
        first: &mut Option<Box<dyn std::any::Any + Send>>,
    ) {
        if self.state.load(Ordering::Acquire) != LIVE {
            return;
        }
        let waiters = {
            let mut waiters = lock(&self.waiters);
            if self.state.load(Ordering::Relaxed) != LIVE {
                return;
            }
            self.state.store(reason, Ordering::Release);
            waiters.free = Vec::new();
            std::mem::take(&mut waiters.list)
        };
        // Woken outside the lock: a waker may run an executor's code, and a loop's may take
        // its group's lock.
        for waiter in waiters.into_iter().flatten() {
            match waiter {
                Waiter::Wake(waker) => {
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| waker.wake())) {
                        first.get_or_insert(payload);
                    }
                }
                Waiter::Child(child) => children.push(child),
            }
        }
    }

    /// Lists `waiter`, unless the token is stopped already.
    fn listen(&self, waiter: Waiter) -> Result<usize, Stopped> {
        let mut waiters = lock(&self.waiters);
        if let Some(stopped) = self.reason() {
            return Err(stopped);
        }
        Ok(waiters.insert(waiter))
    }

    /// Takes the waiter with `key` off the list (nothing if the token was stopped meanwhile:
    /// the list was taken, and no key is handed out any more).
    fn forget(&self, key: usize) {
        let taken = {
            let mut waiters = lock(&self.waiters);
            let taken = waiters.list.get_mut(key).and_then(Option::take);
            if taken.is_some() {
                waiters.free.push(key);
            }
            taken
        };
        // Dropped outside the lock: a child node dropped here gives back its handle on this
        // node, which may take this node off its own parent's list.
        drop(taken);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Up the chain in turn, not by recursion: dropping the last reference to the parent
        // would drop it inside this drop, and its own parent inside that, one frame deeper
        // for each (a chain as deep as a recursion makes would overflow the stack). Where this
        // was the parent's last reference, its parent is taken out before it is dropped.
        let mut parent = self.parent.take();
        while let Some((node, _)) = parent {
            node.release();
            parent = match Arc::try_unwrap(node) {
                Ok(mut last) => last.parent.take(),
                Err(_) => None,
            };
        }
    }
}

impl StopToken {
    /// A token that is not stopped.
    ///
    /// ```
    /// let token = failfast_runtime::StopToken::new();
    /// assert!(!token.is_stopped());
    /// ```
    #[must_use]
    pub fn new() -> StopToken {
        StopToken {
            node: Arc::new(Node::new(None, LIVE)),
            unwatched: None,
        }
    }

    /// Stops the token, and every loop running with it or with one of its children: they stop
    /// as at a failure and return [`Stopped`]. Callable from any thread (the thread of a
    /// `ctrlc` handler included: it takes a lock only briefly, and runs the wakers of the
    /// loops it stops, an async loop's executor's among them), any number of times.
    ///
    /// ```
    /// let token = failfast_runtime::StopToken::new();
    /// let clone = token.clone();
    /// std::thread::spawn(move || clone.stop()).join().unwrap();
    /// assert!(token.is_stopped());
    /// token.stop(); // again: nothing changes
    /// ```
    pub fn stop(&self) {
        self.node.stop(STOPPED);
    }

    /// Whether the token was stopped (or a parent of it, or the deadline of the loop that made
    /// it). An atomic load (one per level for a child token): cheap enough to check for
    /// every item.
    ///
    /// ```
    /// let token = failfast_runtime::StopToken::new();
    /// assert!(!token.is_stopped());
    /// token.stop();
    /// assert!(token.is_stopped());
    /// ```
    #[inline]
    pub fn is_stopped(&self) -> bool {
        self.node.reason().is_some()
    }

    /// A new token that is stopped when this one is (at once, if this one is stopped already),
    /// and that can also be stopped on its own without stopping this one.
    ///
    /// ```
    /// let server = failfast_runtime::StopToken::new();
    /// let request = server.child();
    /// request.stop(); // the client went away: this request's loops stop
    /// assert!(!server.is_stopped());
    ///
    /// let other = server.child();
    /// server.stop(); // shutdown: every request's loops stop
    /// assert!(other.is_stopped());
    /// ```
    #[must_use]
    pub fn child(&self) -> StopToken {
        let mut waiters = lock(&self.node.waiters);
        let state = self.node.state.load(Ordering::Relaxed);
        if state != LIVE {
            return StopToken {
                node: Arc::new(Node::new(None, state)),
                unwatched: None,
            };
        }
        let key = waiters.next_key();
        // The child holds a handle on this node, given back when the child node goes: while a
        // child (or a child of it) lives, this node stays in its own parent's list, so that a
        // stop of any ancestor reaches it, also once this token's own handles are gone.
        self.node.handles.fetch_add(1, Ordering::Relaxed);
        let child = Arc::new(Node::new(Some((Arc::clone(&self.node), key)), LIVE));
        let inserted = waiters.insert(Waiter::Child(Arc::clone(&child)));
        debug_assert_eq!(inserted, key);
        StopToken {
            node: child,
            unwatched: None,
        }
    }

    /// Blocks the calling thread until the token is stopped. Nothing polls: the thread sleeps
    /// until [`stop`](Self::stop) wakes it.
    ///
    /// ```
    /// let token = failfast_runtime::StopToken::new();
    /// let clone = token.clone();
    /// std::thread::spawn(move || clone.stop());
    /// token.wait();
    /// assert!(token.is_stopped());
    /// ```
    pub fn wait(&self) {
        self.wait_until(None);
    }

    /// Blocks the calling thread until the token is stopped, for at most `timeout`; whether it
    /// was stopped.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let token = failfast_runtime::StopToken::new();
    /// assert!(!token.wait_timeout(Duration::from_millis(1)));
    /// token.stop();
    /// assert!(token.wait_timeout(Duration::from_secs(60)));
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.wait_until(Instant::now().checked_add(timeout))
    }

    #[cfg(not(loom))]
    fn wait_until(&self, deadline: Option<Instant>) -> bool {
        use std::sync::atomic::AtomicBool;
        use std::task::Wake;
        struct Unpark {
            thread: std::thread::Thread,
            woken: AtomicBool,
        }
        impl Wake for Unpark {
            fn wake(self: std::sync::Arc<Self>) {
                self.woken.store(true, Ordering::Release);
                self.thread.unpark();
            }
        }
        let unpark = std::sync::Arc::new(Unpark {
            thread: std::thread::current(),
            woken: AtomicBool::new(false),
        });
        let Ok(listening) = self.listen(Waker::from(std::sync::Arc::clone(&unpark))) else {
            return true;
        };
        // `park` may return spuriously: the flag says whether the stop came.
        while !unpark.woken.load(Ordering::Acquire) {
            match deadline {
                None => std::thread::park(),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    std::thread::park_timeout(left);
                }
            }
        }
        drop(listening);
        self.is_stopped()
    }

    #[cfg(loom)]
    fn wait_until(&self, _deadline: Option<Instant>) -> bool {
        while !self.is_stopped() {
            loom::thread::yield_now();
        }
        true
    }

    /// Why the token was stopped, if it was.
    pub(crate) fn reason(&self) -> Option<Stopped> {
        self.node.reason()
    }

    /// Wakes `waker` when the token is stopped, until the returned guard is dropped; `Err` if
    /// the token is stopped already.
    pub(crate) fn listen(&self, waker: Waker) -> Result<Listening, Stopped> {
        let key = self.node.listen(Waiter::Wake(waker))?;
        Ok(Listening {
            node: Arc::clone(&self.node),
            key,
        })
    }

    /// Stops the token as a deadline does.
    pub(crate) fn time_out(&self) {
        self.node.stop(TIMED_OUT);
    }

    /// The deadline that no timer watches: the loop's own threads stop the token at it (see
    /// [`Armed::new`]).
    pub(crate) fn unwatched_deadline(&self) -> Option<Instant> {
        self.unwatched
    }
}

/// A waker listed in a token, taken off the list when dropped.
pub(crate) struct Listening {
    node: Arc<Node>,
    key: usize,
}

impl Listening {
    /// Why the token was stopped, if it was.
    // Read by async loops, which loom does not build.
    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn reason(&self) -> Option<Stopped> {
        self.node.reason()
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.node.forget(self.key);
    }
}

impl Clone for StopToken {
    /// Another handle to the same token: stopping either stops both.
    fn clone(&self) -> StopToken {
        self.node.handles.fetch_add(1, Ordering::Relaxed);
        StopToken {
            node: Arc::clone(&self.node),
            unwatched: self.unwatched,
        }
    }
}

impl Drop for StopToken {
    fn drop(&mut self) {
        self.node.release();
    }
}

impl Default for StopToken {
    /// [`StopToken::new`].
    fn default() -> StopToken {
        StopToken::new()
    }
}

impl fmt::Debug for StopToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StopToken")
            .field("stopped", &self.is_stopped())
            .finish()
    }
}

/// How a loop that was stopped from outside ends: its [`StopToken`] was stopped, or its
/// timeout or deadline passed.
///
/// A `#[fail_fast]` loop leaves its function with it the way `?` would: converted with `From`
/// into the function's error type (`anyhow::Error`, `Box<dyn Error + Send + Sync>`, an enum
/// with a `#[from] Stopped` variant, or [`std::io::Error`], with the kind
/// [`TimedOut`](std::io::ErrorKind::TimedOut) for a timeout or deadline and
/// [`Interrupted`](std::io::ErrorKind::Interrupted) for a token); `None` in an `Option`
/// function; a `()` function simply returns.
///
/// ```
/// use failfast_runtime::Stopped;
/// use std::io;
///
/// let error = io::Error::from(Stopped::timeout());
/// assert_eq!(error.kind(), io::ErrorKind::TimedOut);
/// assert!(error.get_ref().unwrap().downcast_ref::<Stopped>().unwrap().timed_out());
/// assert_eq!(io::Error::from(Stopped::by_token()).kind(), io::ErrorKind::Interrupted);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stopped {
    timed_out: bool,
}

impl Stopped {
    /// A loop stopped by its [`StopToken`].
    #[must_use]
    pub const fn by_token() -> Stopped {
        Stopped { timed_out: false }
    }

    /// A loop stopped because its timeout or deadline passed.
    #[must_use]
    pub const fn timeout() -> Stopped {
        Stopped { timed_out: true }
    }

    /// Whether a timeout or deadline stopped the loop (rather than its token).
    ///
    /// ```
    /// assert!(failfast_runtime::Stopped::timeout().timed_out());
    /// assert!(!failfast_runtime::Stopped::by_token().timed_out());
    /// ```
    #[must_use]
    pub const fn timed_out(&self) -> bool {
        self.timed_out
    }
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.timed_out {
            "the loop timed out"
        } else {
            "the loop was stopped"
        })
    }
}

impl std::error::Error for Stopped {}

impl From<Stopped> for std::io::Error {
    /// An error of kind [`TimedOut`](std::io::ErrorKind::TimedOut) for a timeout or deadline,
    /// [`Interrupted`](std::io::ErrorKind::Interrupted) for a token, holding the [`Stopped`].
    fn from(stopped: Stopped) -> std::io::Error {
        let kind = if stopped.timed_out {
            std::io::ErrorKind::TimedOut
        } else {
            std::io::ErrorKind::Interrupted
        };
        std::io::Error::new(kind, stopped)
    }
}

/// What a loop that was stopped returns, for every type a loop can return.
///
/// (Each impl is `do_not_recommend`: an error type without `From<Stopped>` is then reported
/// with this trait's message, which says what to add, rather than as a bare `From` bound.)
///
/// `Result<T, E>` with `E: From<Stopped>` (`Err(stopped.into())`, as `?` would convert it),
/// `Option<T>` (`None`) and `()`.
///
/// ```
/// use failfast_runtime::{FromStopped, Stopped};
///
/// let error: std::io::Result<u8> = FromStopped::from_stopped(Stopped::timeout());
/// assert_eq!(error.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
/// assert_eq!(<Option<u8>>::from_stopped(Stopped::by_token()), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "the stopped loop's exit has nowhere to go: `{Self}` cannot hold a `failfast::Stopped`",
    label = "this can stop the loop from outside, and `{Self}` has no value that says so",
    note = "a stopped loop returns `Err(failfast::Stopped)` converted with `From`, as `?` would (`None` in an `Option` function; a `()` function just returns)",
    note = "add a variant with `#[from] failfast::Stopped` (or a `From<failfast::Stopped>` impl) to the error type, or return `anyhow::Result` or `io::Result`; in generic code, bound the error type: `E: From<failfast::Stopped>`"
)]
pub trait FromStopped {
    /// The value of a loop that was stopped.
    fn from_stopped(stopped: Stopped) -> Self;
}

#[diagnostic::do_not_recommend]
impl<T, E: From<Stopped>> FromStopped for Result<T, E> {
    fn from_stopped(stopped: Stopped) -> Self {
        Err(stopped.into())
    }
}

#[diagnostic::do_not_recommend]
impl<T> FromStopped for Option<T> {
    fn from_stopped(_: Stopped) -> Self {
        None
    }
}

#[diagnostic::do_not_recommend]
impl FromStopped for () {
    fn from_stopped(_: Stopped) {}
}

/// The iteration of a `#[fail_fast]` loop that only `return`s: the stop leaves with the
/// function's value for it.
#[diagnostic::do_not_recommend]
impl<T: FromStopped> FromStopped for std::ops::ControlFlow<T> {
    fn from_stopped(stopped: Stopped) -> Self {
        std::ops::ControlFlow::Break(T::from_stopped(stopped))
    }
}

/// When a loop stops from outside, as given; a timeout is counted from the loop's start.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Limit {
    #[default]
    None,
    Timeout(Duration),
    Deadline(Instant),
}

/// A loop's stop, armed when the loop starts: the token that stops it (the caller's, or one of
/// the loop's own that the timer stops at the deadline) and the timer's entry.
pub(crate) struct Armed {
    token: StopToken,
    #[cfg(not(loom))]
    _timer: Option<timer::Entry>,
}

impl Armed {
    /// Arms a loop's stop; `None` when nothing can stop it from outside.
    pub(crate) fn new(stop: Option<&StopToken>, limit: Limit) -> Option<Armed> {
        let deadline = match limit {
            Limit::None => None,
            // An overflowing timeout is never reached.
            Limit::Timeout(timeout) => Instant::now().checked_add(timeout),
            Limit::Deadline(deadline) => Some(deadline),
        };
        let Some(deadline) = deadline else {
            return stop.map(|token| Armed {
                token: token.clone(),
                #[cfg(not(loom))]
                _timer: None,
            });
        };
        #[cfg_attr(loom, allow(unused_mut))]
        let mut token = stop.map_or_else(StopToken::new, StopToken::child);
        if deadline <= Instant::now() {
            token.time_out();
        }
        #[cfg(not(loom))]
        let timer = if token.is_stopped() {
            None
        } else {
            let entry = timer::schedule(deadline, token.clone());
            if entry.is_none() {
                // The OS refused the timer thread: the loop's own threads stop the token at
                // the deadline (the owner's waits end there; workers look at the clock
                // between claims), rather than the loop never timing out.
                token.unwatched = Some(deadline);
            }
            entry
        };
        Some(Armed {
            token,
            #[cfg(not(loom))]
            _timer: timer,
        })
    }

    pub(crate) fn token(&self) -> &StopToken {
        &self.token
    }
}

/// How long the timer thread stays with no deadline to wait for before it exits.
#[cfg(not(loom))]
pub(crate) const TIMER_IDLE: Duration = Duration::from_secs(5);

/// The one thread that stops tokens at their deadlines; see the [module docs](self).
#[cfg(not(loom))]
mod timer {
    use super::{StopToken, TIMER_IDLE};
    use std::collections::BTreeMap;
    use std::sync::{Condvar, Mutex, MutexGuard};
    use std::time::Instant;

    struct Timers {
        /// By deadline, then by a number that makes each entry's key unique.
        due: BTreeMap<(Instant, u64), StopToken>,
        next: u64,
        /// Whether the timer thread is running (it clears this as it exits, under the lock).
        running: bool,
    }

    static TIMERS: Mutex<Timers> = Mutex::new(Timers {
        due: BTreeMap::new(),
        next: 0,
        running: false,
    });
    /// Notified when an entry becomes the earliest.
    static EARLIER: Condvar = Condvar::new();

    fn timers() -> MutexGuard<'static, Timers> {
        TIMERS.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A token's deadline, taken back when dropped.
    pub(crate) struct Entry((Instant, u64));

    /// Stops `token` (with [`StopToken::time_out`]) at `deadline`, unless the entry is dropped
    /// first; `None` if the timer thread was not running and the OS refused to start it (a
    /// memory, pids or thread limit): then nothing watches the deadline, and the caller must.
    pub(crate) fn schedule(deadline: Instant, token: StopToken) -> Option<Entry> {
        let mut timers = timers();
        let key = (deadline, timers.next);
        timers.next += 1;
        let earliest = timers
            .due
            .first_key_value()
            .is_none_or(|(first, _)| key < *first);
        if !timers.running {
            if !start() {
                // The next deadline tries again.
                drop(timers);
                return None;
            }
            timers.running = true;
        } else if earliest {
            EARLIER.notify_one();
        }
        timers.due.insert(key, token);
        Some(Entry(key))
    }

    /// Starts the timer thread; whether the OS let it start.
    fn start() -> bool {
        #[cfg(feature = "fault-injection")]
        if crate::fault::this_start().refused {
            return false;
        }
        std::thread::Builder::new()
            .name("failfast-timer".into())
            .spawn(run)
            .is_ok()
    }

    impl Drop for Entry {
        fn drop(&mut self) {
            let token = timers().due.remove(&self.0);
            // Dropped outside the lock: a child token leaves its parent's list.
            drop(token);
        }
    }

    fn run() {
        let mut timers = timers();
        loop {
            let Some((&(deadline, _), _)) = timers.due.first_key_value() else {
                let (guard, waited) = EARLIER
                    .wait_timeout(timers, TIMER_IDLE)
                    .unwrap_or_else(|p| p.into_inner());
                timers = guard;
                if waited.timed_out() && timers.due.is_empty() {
                    timers.running = false;
                    return;
                }
                continue;
            };
            let now = Instant::now();
            if deadline <= now {
                let (_, token) = timers.due.pop_first().expect("an entry is due");
                drop(timers);
                // A waker that panics must not end this thread while `running` says it runs:
                // every later deadline would go unwatched. Only the engine's wakers are listed
                // on a timed token today, and they do not panic; nobody here could take the
                // payload, so it is discarded.
                if let Err(payload) =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| token.time_out()))
                {
                    crate::engine::discard(payload);
                }
                drop(token);
                timers = self::timers();
                continue;
            }
            timers = EARLIER
                .wait_timeout(timers, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_child_leaves_its_parents_list_when_its_last_handle_goes() {
        let parent = StopToken::new();
        let child = parent.child();
        let clone = child.clone();
        drop(child);
        assert_eq!(lock(&parent.node.waiters).list.iter().flatten().count(), 1);
        drop(clone);
        assert_eq!(lock(&parent.node.waiters).list.iter().flatten().count(), 0);
        let again = parent.child();
        parent.stop();
        assert!(again.is_stopped());
    }

    #[test]
    fn a_timer_entry_stops_its_token_at_the_deadline_and_not_before() {
        let token = StopToken::new();
        let begin = Instant::now();
        let _entry = timer::schedule(begin + Duration::from_millis(30), token.clone())
            .expect("the timer thread starts");
        assert!(token.wait_timeout(Duration::from_secs(60)));
        assert!(begin.elapsed() >= Duration::from_millis(30));
        assert_eq!(token.reason(), Some(Stopped::timeout()));
    }

    #[test]
    fn a_dropped_timer_entry_never_fires() {
        let token = StopToken::new();
        // Dropped long before its deadline, also under Miri, where a step takes milliseconds
        // (with a 5 ms deadline, the entry fired there before it was dropped).
        drop(timer::schedule(
            Instant::now() + Duration::from_millis(200),
            token.clone(),
        ));
        assert!(!token.wait_timeout(Duration::from_millis(400)));
    }
}
