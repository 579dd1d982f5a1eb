//! The engine behind [`failfast`](https://docs.rs/failfast): parallel loops that stop at the
//! first failure.
//!
//! Most users write `#[failfast::fail_fast]` and never call this crate directly; the macro
//! rewrites a `for` loop into a call to [`try_for_each`]. The functions here are the same loop
//! without the macro, with the same guarantees:
//!
//! - the input is pulled lazily, at most `workers` items ahead of the running iterations (up
//!   to 64 per worker, in batches, when iterations take only microseconds);
//! - at most `workers` iterations run at once, on reused worker threads, and they may borrow
//!   the caller's locals;
//! - the same loop reached again inside one of its own iterations (recursion) shares the
//!   outer run's limit, and its waiting iterations work on its items;
//! - the first failure is returned; once it is recorded nothing more is pulled, nothing new
//!   starts (but for at most `workers - 1` iterations already starting), queued items are
//!   dropped, and running iterations see [`cancelled`] return `true`;
//! - a panic cancels the loop the same way and resumes on the caller with its payload once the
//!   running iterations have finished; a panic wins over an error;
//! - a loop started inside an iteration inherits that iteration's cancellation;
//! - when a loop returns or unwinds, every iteration has finished.
//!
//! ```
//! let lines = ["1", "2", "x", "4"];
//! let result = failfast_runtime::try_for_each(lines, 2, |line| {
//!     line.parse::<u32>().map(drop)
//! });
//! assert!(result.is_err());
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]

pub mod bounds;
mod cancel;
mod engine;
#[cfg(feature = "fault-injection")]
#[doc(hidden)]
pub mod fault;
pub mod future;
mod outcome;
mod pool;
#[doc(hidden)]
pub mod rewrite;
mod stop;
mod sync;
mod wake;

#[cfg(all(test, loom))]
mod loom_tests;

pub use cancel::{cancelled, CutShort};
pub use outcome::{Fallible, LoopStep, Outcome};
#[cfg(not(loom))]
pub use pool::idle_threads;
pub use stop::{FromStopped, StopToken, Stopped};

use engine::{Body, Site, Values};
use std::marker::PhantomData;
use std::panic::Location;
use std::time::{Duration, Instant};
use stop::Limit;
use sync::{lock, Mutex};

/// Runs `f` for every item of `iterable` on at most `workers` threads at once, and returns
/// the first failure.
///
/// `f` returns `Result<(), E>` or `Option<()>`; the loop returns the same type: `Ok(())` /
/// `Some(())` when every iteration succeeded, otherwise the first failure recorded. The
/// failures of iterations that were already running are dropped.
///
/// The input is iterated on the calling thread, lazily: at most `workers` items are pulled
/// ahead of the running iterations (up to 64 per worker when iterations take only
/// microseconds), so an endless iterator works in bounded memory. `f` runs on `workers` pool
/// threads and may borrow the caller's locals.
///
/// # Which path a call takes
///
/// This function takes any `IntoIterator`, so it cannot tell an input that is `Send` from one
/// that is not (Rust has no specialization): it always takes the path that works for both,
/// the calling thread pulling the input for `workers` pool threads. A `#[fail_fast]` loop
/// picks its path from the input's type at compile time: an input split by index (ranges,
/// slices, `Vec`s, arrays) or any `Send` input is then run by the calling thread and
/// `workers - 1` pool threads that take items themselves, which is much faster when
/// iterations take nanoseconds. For the fast path, write the loop with the attribute.
///
/// Called again inside one of its own iterations from the same place in the source (a
/// recursive function), the inner call shares the outer call's limit; the calling thread of
/// the inner call works on its items.
///
/// # Cancellation
///
/// Once an iteration has failed, no further item is pulled from the input and no iteration
/// starts, except at most `workers - 1` that other workers were starting in the same instant.
/// Items pulled but not started are dropped. Running iterations see [`cancelled`] return
/// `true` and may return early; the loop returns as soon as they have finished.
///
/// A loop run in an iteration of another inherits its cancellation. Cut short by it (not
/// finished when it came), such a loop does not return `Ok` for the items it may have
/// skipped: it leaves the enclosing iteration by unwinding with [`CutShort`] (no panic message,
/// and no panic for the enclosing loop, which drops that iteration and returns its own failure
/// or stop).
///
/// ```
/// let committed = std::sync::atomic::AtomicUsize::new(0);
/// let result = failfast_runtime::try_for_each(0..2, 2, |batch| {
///     if batch == 1 {
///         return Err("batch 1 failed");
///     }
///     // Endless: only the failure of batch 1 ends it.
///     failfast_runtime::try_for_each(0u64.., 2, |_| {
///         std::thread::sleep(std::time::Duration::from_millis(1));
///         Ok(())
///     })?;
///     committed.fetch_add(1, std::sync::atomic::Ordering::SeqCst); // never reached
///     Ok(())
/// });
/// assert_eq!(result, Err("batch 1 failed"));
/// assert_eq!(committed.into_inner(), 0);
/// ```
///
/// # Panics
///
/// - If `workers` is 0.
/// - If an iteration panics, or the input's `next()` does: the loop is cancelled as for a
///   failure and, once the running iterations have finished, the panic resumes on the caller
///   with its original payload. A panic wins over any failure.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// let total = AtomicUsize::new(0);
/// let result: Result<(), String> = failfast_runtime::try_for_each(1..=100, 8, |n| {
///     total.fetch_add(n, Ordering::Relaxed);
///     Ok(())
/// });
/// assert_eq!(result, Ok(()));
/// assert_eq!(total.into_inner(), 5050);
///
/// // The first failure stops the loop; `Option<()>` works like `Result<(), ()>`.
/// let found_odd = failfast_runtime::try_for_each([2, 4, 5, 6], 2, |n| (n % 2 == 0).then_some(()));
/// assert_eq!(found_odd, None);
/// ```
#[track_caller]
// In the caller's frame, also in a debug build: a recursion pays a frame of its own on every
// level.
#[inline(always)]
pub fn try_for_each<I, F, R>(iterable: I, workers: usize, f: F) -> R
where
    I: IntoIterator,
    I::Item: bounds::SentToPoolThreads,
    F: Fn(I::Item) -> R + Sync,
    R: Outcome<Failure: bounds::SentFromPoolThreads>,
{
    check_workers(workers);
    // Straight to the engine, with no stop to arm: see `engine::run_indexed`.
    never_stopped(engine::run_fed(
        iterable,
        workers,
        Site::Call(Location::caller()),
        &ForEach(&f),
        None,
    ))
}

/// The body of a loop that keeps no value: `f` itself. A reference to the caller's closure:
/// a copy would cost the caller's frame the closure's size again, once per level of a
/// recursion in a debug build.
pub(crate) struct ForEach<'f, F>(pub(crate) &'f F);

impl<T, R: LoopStep<Exit: Send>, F: Fn(T) -> R + Sync> Body<T> for ForEach<'_, F> {
    type Outcome = R;
    type Local = ();
    fn start(&self) {}
    // Inlined also in a debug build: this frame would be on the stack while the item runs,
    // once per level of a recursion.
    #[inline(always)]
    fn run(&self, (): &mut (), item: T) -> R {
        // `F` itself called: through `&F`'s `Fn`, a debug build adds a frame per level.
        (*self.0)(item)
    }
    fn finish(&self, (): ()) {}
}

/// Maps every item of `iterable` with `f` on at most `workers` threads at once, and returns the
/// results in input order, or the first failure; never part of them (a map that an enclosing
/// loop's cancellation cuts short leaves its iteration instead: see [`try_for_each`]).
///
/// The same loop as [`try_for_each`] (lazy input, bounded parallelism, cancellation, panics,
/// the same path: the calling thread pulls the input for `workers` pool threads; a recursive
/// call from the same place shares the limit), keeping each iteration's value.
///
/// # Panics
///
/// As [`try_for_each`]: if `workers` is 0, and with the payload of the first panic of an
/// iteration or of the input.
///
/// # Examples
///
/// ```
/// let lengths = failfast_runtime::try_map(["a", "bb", "ccc"], 2, |s| Ok::<_, ()>(s.len()));
/// assert_eq!(lengths, Ok(vec![1, 2, 3]));
///
/// let parsed = failfast_runtime::try_map(["1", "x", "3"], 2, |s| s.parse::<u8>());
/// assert!(parsed.is_err());
/// ```
#[track_caller]
pub fn try_map<I, F, U, E>(iterable: I, workers: usize, f: F) -> Result<Vec<U>, E>
where
    I: IntoIterator,
    I::Item: bounds::SentToPoolThreads,
    F: Fn(I::Item) -> Result<U, E> + Sync,
    U: bounds::SentFromPoolThreads,
    E: bounds::SentFromPoolThreads,
{
    check_workers(workers);
    never_stopped(
        Loop::<Unstoppable>::of(Settings::with_workers(workers)).map_at(
            Site::Call(Location::caller()),
            iterable,
            f,
        ),
    )
}

/// Each worker of a [`try_map`] collects `(input index, value)` pairs; they are put in order
/// at the end.
struct Map<F, U> {
    f: F,
    collected: Mutex<Vec<Values<(usize, U)>>>,
}

impl<T, U: Send, E: Send, F: Fn(T) -> Result<U, E> + Sync> Body<(usize, T)> for Map<F, U> {
    type Outcome = Result<(), E>;
    type Local = Values<(usize, U)>;
    fn start(&self) -> Self::Local {
        Values::new()
    }
    fn run(&self, local: &mut Self::Local, (index, item): (usize, T)) -> Result<(), E> {
        local.push((index, (self.f)(item)?));
        Ok(())
    }
    fn finish(&self, local: Self::Local) {
        lock(&self.collected).push(local);
    }
}

/// The outcome of a loop that has no stop token, timeout or deadline.
pub(crate) fn never_stopped<R>(outcome: Result<R, Stopped>) -> R {
    match outcome {
        Ok(outcome) => outcome,
        Err(_) => unreachable!("only a loop with a stop token, timeout or deadline is stopped"),
    }
}

/// A thread loop with options: how many workers, and what stops it from outside (a
/// [`StopToken`], a timeout, a deadline). The same loops as [`try_for_each`] and [`try_map`],
/// which are `Loop::new(workers)` with nothing that stops them.
///
/// When the token is stopped, or the timeout or deadline passes, before the loop has ended,
/// the loop stops exactly as at a failure: nothing more is pulled, no iteration starts (but at
/// most `workers - 1` racing), running iterations see [`cancelled`] return `true` (also in
/// loops nested in them), and the loop returns once they have finished, with `Err(Stopped)`
/// converted with `From` into the error type (`None` for `Option<()>`). Threads waiting on the
/// loop are woken at once; nothing polls the token or the clock. A stop that comes after the
/// loop has finished changes nothing; a token stopped before it starts: nothing is pulled,
/// nothing runs.
///
/// First exit wins, the stop included: a failure recorded before the stop is what the loop
/// returns; failures recorded after it (often caused by it: an iteration that returns `Err`
/// because it saw [`cancelled`]) are dropped. A panic wins over all.
///
/// Only a loop that can be stopped needs an error type that can hold [`Stopped`]: the second
/// parameter says which this is. `Loop::new(workers)` is a [`Loop<'_, Unstoppable>`](Unstoppable),
/// whose loops return any error; [`stop`](Loop::stop), [`timeout`](Loop::timeout) and
/// [`deadline`](Loop::deadline) make it a `Loop<'_, Stoppable>`, and so does `.into()` (for
/// code that decides at run time whether something stops the loop).
///
/// # Examples
///
/// ```
/// use failfast_runtime::{Loop, StopToken, Stopped};
/// use std::time::{Duration, Instant};
///
/// let token = StopToken::new();
/// let started = Instant::now();
/// // Every iteration runs until the loop is cancelled: the timeout stops it.
/// let result: Result<(), Stopped> = Loop::new(4)
///     .stop(&token)
///     .timeout(Duration::from_millis(20))
///     .try_for_each(0..4, |_| {
///         while !failfast_runtime::cancelled() {
///             std::thread::sleep(Duration::from_millis(1));
///         }
///         Ok(())
///     });
/// assert_eq!(result, Err(Stopped::timeout()));
/// assert!(result.unwrap_err().timed_out());
/// assert!(started.elapsed() >= Duration::from_millis(20));
///
/// // `io::Error` has `From<Stopped>`: `?` works on a stopped loop.
/// let squares: std::io::Result<Vec<u32>> = Loop::new(2)
///     .stop(&token)
///     .try_map([1, 2, 3], |n| Ok(n * n));
/// assert_eq!(squares.unwrap(), [1, 4, 9]);
///
/// // With nothing that stops it, any error type will do.
/// let parsed: Result<Vec<u8>, String> = Loop::new(2).try_map(["1", "x"], |s| {
///     s.parse().map_err(|_| format!("not a number: {s}"))
/// });
/// assert_eq!(parsed.unwrap_err(), "not a number: x");
/// ```
#[derive(Clone, Copy)]
#[must_use = "a `Loop` does nothing until `try_for_each` or `try_map` runs it"]
pub struct Loop<'s, Stop = Unstoppable> {
    settings: Settings<'s>,
    stop: PhantomData<Stop>,
}

impl<Stop> std::fmt::Debug for Loop<'_, Stop> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut loop_ = f.debug_struct("Loop");
        loop_
            .field("workers", &self.settings.workers)
            .field("stop", &self.settings.stop);
        match self.settings.limit {
            Limit::None => {}
            Limit::Timeout(timeout) => {
                loop_.field("timeout", &timeout);
            }
            Limit::Deadline(deadline) => {
                loop_.field("deadline", &deadline);
            }
        }
        loop_.finish()
    }
}

/// A loop that nothing stops yet, as a [`Loop<'_, Stoppable>`](Stoppable): for code that
/// picks at run time whether a token (or a timeout) stops it.
///
/// ```
/// use failfast_runtime::{Loop, StopToken, Stoppable, Stopped};
///
/// fn count(stop: Option<&StopToken>) -> Result<(), Stopped> {
///     let settings: Loop<'_, Stoppable> = match stop {
///         Some(token) => Loop::new(4).stop(token),
///         None => Loop::new(4).into(),
///     };
///     settings.try_for_each(0..100, |_| Ok(()))
/// }
///
/// assert_eq!(count(None), Ok(()));
/// let token = StopToken::new();
/// token.stop();
/// assert_eq!(count(Some(&token)), Err(Stopped::by_token()));
/// ```
impl<'s> From<Loop<'s, Unstoppable>> for Loop<'s, Stoppable> {
    fn from(unstoppable: Loop<'s, Unstoppable>) -> Self {
        Loop::of(unstoppable.settings)
    }
}

/// A [`Loop`] (or a [`future::Loop`]) with nothing that stops it from outside: its loops end
/// only at a failure, a panic or the end of the input, and return any error type.
#[derive(Clone, Copy, Debug)]
pub enum Unstoppable {}

/// A [`Loop`] (or a [`future::Loop`]) that a [`StopToken`], a timeout or a deadline can stop:
/// its loops' error type must hold [`Stopped`] ([`FromStopped`]).
#[derive(Clone, Copy, Debug)]
pub enum Stoppable {}

/// What a thread loop was given: the one value that carries its options from [`Loop`] (or the
/// macro, which builds a `Loop`) to the engine.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings<'s> {
    pub(crate) workers: usize,
    pub(crate) stop: Option<&'s StopToken>,
    pub(crate) limit: Limit,
}

impl Settings<'_> {
    /// A loop of `workers` workers (checked by the caller) that nothing stops from outside.
    pub(crate) fn with_workers(workers: usize) -> Self {
        Settings {
            workers,
            stop: None,
            limit: Limit::None,
        }
    }
}

impl<'s> Loop<'s> {
    /// A loop running at most `workers` iterations at once, with nothing that stops it yet.
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    ///
    /// ```
    /// let total = failfast_runtime::Loop::new(8)
    ///     .try_map(1..=4, |n| Ok::<_, std::num::TryFromIntError>(u8::try_from(n)? * 10))
    ///     .unwrap();
    /// assert_eq!(total, [10, 20, 30, 40]);
    /// ```
    #[track_caller]
    pub fn new(workers: usize) -> Loop<'s> {
        check_workers(workers);
        Loop::of(Settings::with_workers(workers))
    }

    /// [`try_for_each`] with `workers` from this loop: runs `f` for every item of `iterable`,
    /// and returns the first failure.
    ///
    /// # Panics
    ///
    /// With the payload of the first panic of an iteration or of the input.
    ///
    /// ```
    /// let result = failfast_runtime::Loop::new(4).try_for_each(0..8, |n| {
    ///     if n == 5 { Err(format!("item {n} failed")) } else { Ok(()) }
    /// });
    /// assert_eq!(result, Err("item 5 failed".to_string()));
    /// ```
    #[track_caller]
    pub fn try_for_each<I, F, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        I::Item: bounds::SentToPoolThreads,
        F: Fn(I::Item) -> R + Sync,
        R: Outcome<Failure: bounds::SentFromPoolThreads>,
    {
        never_stopped(self.for_each_at(Site::Call(Location::caller()), iterable, f))
    }

    /// [`try_map`] with `workers` from this loop: maps every item of `iterable` with `f`, and
    /// returns the values in input order, or the first failure.
    ///
    /// # Panics
    ///
    /// With the payload of the first panic of an iteration or of the input.
    ///
    /// ```
    /// let lengths = failfast_runtime::Loop::new(2).try_map(["a", "bb"], |s| Ok::<_, ()>(s.len()));
    /// assert_eq!(lengths, Ok(vec![1, 2]));
    /// ```
    #[track_caller]
    pub fn try_map<I, F, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        I::Item: bounds::SentToPoolThreads,
        F: Fn(I::Item) -> Result<U, E> + Sync,
        U: bounds::SentFromPoolThreads,
        E: bounds::SentFromPoolThreads,
    {
        never_stopped(self.map_at(Site::Call(Location::caller()), iterable, f))
    }
}

impl<'s, Stop> Loop<'s, Stop> {
    fn of(settings: Settings<'s>) -> Self {
        Loop {
            settings,
            stop: PhantomData,
        }
    }

    /// The loop stops when `token` is stopped (a clone of it, or a parent it is a child of).
    ///
    /// ```
    /// use failfast_runtime::{Loop, StopToken};
    ///
    /// let token = StopToken::new();
    /// token.stop();
    /// let ran = std::sync::atomic::AtomicBool::new(false);
    /// let result: Option<()> = Loop::new(2).stop(&token).try_for_each(0..10, |_| {
    ///     ran.store(true, std::sync::atomic::Ordering::Relaxed);
    ///     Some(())
    /// });
    /// assert_eq!(result, None, "a stopped loop returns `None` in an `Option` loop");
    /// assert!(!ran.into_inner(), "a token stopped before the loop starts: nothing runs");
    /// ```
    pub fn stop(self, token: &'s StopToken) -> Loop<'s, Stoppable> {
        Loop::of(Settings {
            stop: Some(token),
            ..self.settings
        })
    }

    /// The loop stops once `timeout` has passed since it started (each time it is run).
    /// Replaces a [`deadline`](Self::deadline).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let result = failfast_runtime::Loop::new(2)
    ///     .timeout(Duration::from_millis(10))
    ///     .try_for_each(0.., |_| {
    ///         std::thread::sleep(Duration::from_millis(1));
    ///         Ok::<(), std::io::Error>(())
    ///     });
    /// assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::TimedOut);
    /// ```
    pub fn timeout(self, timeout: Duration) -> Loop<'s, Stoppable> {
        Loop::of(Settings {
            limit: Limit::Timeout(timeout),
            ..self.settings
        })
    }

    /// The loop stops at `deadline`. Replaces a [`timeout`](Self::timeout).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let deadline = Instant::now() + Duration::from_millis(10);
    /// let result = failfast_runtime::Loop::new(2)
    ///     .deadline(deadline)
    ///     .try_for_each(0.., |_| {
    ///         std::thread::sleep(Duration::from_millis(1));
    ///         Ok::<(), failfast_runtime::Stopped>(())
    ///     });
    /// assert!(result.unwrap_err().timed_out());
    /// assert!(Instant::now() >= deadline);
    /// ```
    pub fn deadline(self, deadline: Instant) -> Loop<'s, Stoppable> {
        Loop::of(Settings {
            limit: Limit::Deadline(deadline),
            ..self.settings
        })
    }

    /// What the engine is given.
    pub(crate) fn settings(&self) -> &Settings<'s> {
        &self.settings
    }

    /// The loop of [`try_for_each`], on the path any input can take.
    pub(crate) fn for_each_at<I, F, R>(&self, site: Site, iterable: I, f: F) -> Result<R, Stopped>
    where
        I: IntoIterator,
        I::Item: Send,
        F: Fn(I::Item) -> R + Sync,
        R: Outcome<Failure: Send>,
    {
        engine::drive_fed(iterable, &self.settings, site, &ForEach(&f))
    }

    /// The loop of [`try_map`].
    fn map_at<I, F, U, E>(
        &self,
        site: Site,
        iterable: I,
        f: F,
    ) -> Result<Result<Vec<U>, E>, Stopped>
    where
        I: IntoIterator,
        I::Item: Send,
        F: Fn(I::Item) -> Result<U, E> + Sync,
        U: Send,
        E: Send,
    {
        let map = Map {
            f,
            collected: Mutex::new(Vec::new()),
        };
        if let Err(error) =
            engine::drive_fed(iterable.into_iter().enumerate(), &self.settings, site, &map)?
        {
            return Ok(Err(error));
        }
        let mut pairs: Vec<(usize, U)> = map
            .collected
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .flat_map(Values::into_vec)
            .collect();
        pairs.sort_unstable_by_key(|&(index, _)| index);
        Ok(Ok(pairs.into_iter().map(|(_, value)| value).collect()))
    }
}

impl Loop<'_, Stoppable> {
    /// [`try_for_each`] with this loop's options: runs `f` for every item of `iterable`, and
    /// returns the first failure, or the stop converted with [`FromStopped`] (`Err(e)` with
    /// `e: From<Stopped>`, or `None`).
    ///
    /// # Panics
    ///
    /// With the payload of the first panic of an iteration or of the input.
    ///
    /// ```
    /// use failfast_runtime::{Loop, StopToken, Stopped};
    ///
    /// let token = StopToken::new();
    /// let result: Result<(), Stopped> = Loop::new(4).stop(&token).try_for_each(0..8, |_| Ok(()));
    /// assert_eq!(result, Ok(()));
    /// token.stop(); // after the loop finished: changes nothing
    /// ```
    #[track_caller]
    pub fn try_for_each<I, F, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        I::Item: bounds::SentToPoolThreads,
        F: Fn(I::Item) -> R + Sync,
        R: Outcome<Failure: bounds::SentFromPoolThreads> + FromStopped,
    {
        self.for_each_at(Site::Call(Location::caller()), iterable, f)
            .unwrap_or_else(R::from_stopped)
    }

    /// [`try_map`] with this loop's options: maps every item of `iterable` with `f`, and
    /// returns the values in input order, or the first failure, or the stop converted with
    /// `From`.
    ///
    /// # Panics
    ///
    /// With the payload of the first panic of an iteration or of the input.
    ///
    /// ```
    /// use failfast_runtime::{Loop, StopToken};
    ///
    /// let token = StopToken::new();
    /// let lengths = Loop::new(2).stop(&token).try_map(["a", "bb"], |s| {
    ///     Ok::<_, std::io::Error>(s.len())
    /// });
    /// assert_eq!(lengths.unwrap(), [1, 2]);
    /// ```
    #[track_caller]
    pub fn try_map<I, F, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        I::Item: bounds::SentToPoolThreads,
        F: Fn(I::Item) -> Result<U, E> + Sync,
        U: bounds::SentFromPoolThreads,
        E: bounds::SentFromPoolThreads,
        Result<Vec<U>, E>: FromStopped,
    {
        self.map_at(Site::Call(Location::caller()), iterable, f)
            .unwrap_or_else(FromStopped::from_stopped)
    }
}

/// Panics with the contract's message when `workers` is 0, at the caller's location.
#[track_caller]
pub(crate) fn check_workers(workers: usize) {
    assert!(
        workers >= 1,
        "failfast: `workers` must be at least 1, got 0 (use `workers = 1` to run the iterations one at a time)"
    );
}

/// The number of workers used when none is given: `std::thread::available_parallelism()`,
/// or 1 if it cannot be determined. Computed once per process.
///
/// ```
/// assert!(failfast_runtime::default_workers() >= 1);
/// ```
pub fn default_workers() -> usize {
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
