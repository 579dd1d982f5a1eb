//! Async loops: at most `workers` iterations in flight as futures polled by the loop's own
//! future, on the task that awaits it. No threads, no executor.
//!
//! ```
//! use std::cell::Cell;
//!
//! let fetched = Cell::new(0); // the body borrows locals, and needs neither `Send` nor `Sync`
//! let result = futures_executor_block_on(failfast_runtime::future::try_for_each(
//!     ["a", "b", "c"],
//!     2,
//!     async |name: &str| {
//!         fetched.set(fetched.get() + 1);
//!         if name == "c" { Err(format!("{name} failed")) } else { Ok(()) }
//!     },
//! ));
//! assert_eq!(result, Err("c failed".to_string()));
//! assert_eq!(fetched.get(), 3);
//! # fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     let mut f = std::pin::pin!(f);
//! #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
//! #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! # }
//! ```
//!
//! # How a loop runs
//!
//! A [`Driver`] owns the input and up to `workers` slots, each holding one iteration's future.
//! Whoever runs the loop (the `#[fail_fast]` rewrite, in the user's own function, or
//! [`try_for_each`] here) alternates two steps:
//!
//! 1. if [`Driver::next_item`] gives an item (there is a free slot and the loop has not
//!    ended), build the iteration's future and [`Driver::start`] it: items are pulled only
//!    when an iteration can start with them;
//! 2. await [`Driver::wait`], which polls the iterations that need it and resolves to `None`
//!    when a slot is free again (back to step 1), or to the loop's outcome once it has ended.
//!
//! The input is an iterator, pulled in step 1, or an input that must be awaited: a
//! [`Stream`] ([`try_for_each_stream`]) or a `while let` loop's head. [`Wait`] polls those
//! with the task's waker while the iterations run, but only while a slot is free and no item
//! polled earlier waits for one, and hands the item to step 1. A head is one future for the
//! whole loop, which evaluates the head each time the driver asks through a [`Port`] (see
//! [`Driver::with_head`]); the driver drops it the moment the loop ends.
//!
//! # Wake-ups
//!
//! Each slot has its own [`Waker`], made once and kept across the iterations the slot runs.
//! Waking it puts the slot's index on the shared `woken` list (once: a flag says it is there)
//! then sets the shared `pending` flag (Release), then wakes the task that awaits the loop.
//! Every poll of [`Wait`] takes the whole list (if `pending`, cleared with Acquire, says it has
//! anything) and polls each slot on it, and the iterations started since the last poll: so
//! every iteration woken before a poll is polled in it, and one that wakes itself while being
//! polled waits for the next poll instead of starving the others (the pitfall of futures-rs
//! #2387). A poll that can go on (a slot is free) returns at once; only a poll that returns
//! `Pending` registers the task's waker, and then loads `pending` again.
//!
//! No wake-up is lost. Before it polls a slot, the poll clears the slot's `queued` flag with
//! `swap(false)` (Acquire); a wake sets it with `swap(true)` (AcqRel), after whatever the
//! waking side wrote, and queues the slot only if the flag was clear. Read-modify-writes of
//! one atomic are totally ordered, so one of the two comes first. If the wake's does, the
//! poll's swap reads its `true`, synchronizes with it, and the poll of the iteration sees
//! everything written before `wake()`, whatever orderings those writes used (a waker that
//! sets a `Relaxed` flag, then wakes). If the poll's comes first, the wake reads `false`
//! and queues the slot again, for the next poll. (A plain store of `false` had neither: a
//! wake between the list's taking and the store queued nothing, and the poll could still read
//! the iteration's state from before the wake; the loom model
//! `two_wakes_of_one_async_slot_racing_its_poll_are_never_lost` found it.) An iteration's
//! first poll skips the swap, a locked instruction that was a fifth of a ready item's time:
//! nobody has the iteration's waker before it, so a wake that came earlier is a stale one of
//! an earlier iteration of the slot, with nothing the new one must see. The flag is `true`
//! only while the slot is on the list (or being put there) for a poll that will swap, so
//! leaving it as it is keeps that poll, and a wake that finds `true` relies on it (the loom
//! model `a_stale_wake_of_a_reused_async_slot_never_hides_the_new_iterations_wake`). If a wake that
//! queues a slot wakes the task before the poll registered, the poll's later load sees its
//! `pending` (the waker's `wake` and the poll's `register` are read-modify-writes of one
//! atomic in [`AtomicWaker`], so whichever comes second sees what the first did), and the
//! poll wakes its own task; if it comes after, it wakes the registered waker.
//!
//! A loop whose iterations are all ready at once would never return to the executor: after
//! [`BUDGET`] iterations started without a `Pending`, [`Wait`] wakes its own task and returns
//! `Pending` once, so that other tasks on the same thread run (cooperative yielding).
//!
//! # Ending
//!
//! At the first exit (an iteration's failure or early `return`) every other in-flight future is
//! dropped on the spot, nothing more is pulled, and the outcome is returned. A panic while
//! polling an iteration or pulling the input drops the others the same way and resumes at once.
//! Dropping the driver (with the future that awaits the loop) drops all in-flight iterations:
//! none ever runs after the loop has returned or been dropped.
//!
//! # Stopping from outside
//!
//! A loop with a [`StopToken`] lists a waker in it that wakes the task awaiting the loop.
//! Every poll of [`Wait`] first loads the token's state (and [`Driver::next_item`] does before
//! each pull): once it is stopped, the in-flight iterations are dropped, nothing more is
//! pulled, and the loop ends with [`Driver::stopped`] set. No stop is missed: the token's
//! state is written before its waker is called, and a poll that returns `Pending` loads it
//! again after registering the task's waker, as it does `pending`. An exit that a poll finds
//! after the token was stopped came after the stop, and is dropped (first exit wins).

use crate::engine::{keep_first, Values};
use crate::outcome::{LoopStep, Outcome};
use crate::stop::{FromStopped, Listening, StopToken, Stopped};
use crate::{Stoppable, Unstoppable};
// The slot wake-up protocol's atomics and list lock are loom's under `--cfg loom`, so that the
// model in `loom_tests` checks this code; the `Arc`s stay std's, which `Wake` requires.
use crate::sync::{lock, AtomicBool, AtomicU8, Mutex, Ordering};
#[cfg(not(loom))]
use atomic_waker::AtomicWaker;
use futures_core::Stream;
use std::cell::UnsafeCell;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Iterations started in one run of polls before the loop yields to the executor. The same
/// order as tokio's cooperative budget (128 operations per task poll).
pub const BUDGET: usize = 128;

/// What an iteration's future resolves to: a value the loop keeps, or an exit that ends it.
///
/// Every iteration that ends or exits is one (its value is `()`); [`try_map`] adds the indexed value of one
/// mapped item.
#[doc(hidden)]
pub trait Split {
    /// What a finished iteration hands to the loop.
    type Value;
    /// What ends the loop.
    type Exit;
    /// Either the value of a finished iteration or the exit.
    fn split(self) -> Result<Self::Value, Self::Exit>;
}

impl<R: LoopStep> Split for R {
    type Value = ();
    type Exit = R::Exit;
    fn split(self) -> Result<(), R::Exit> {
        match self.into_exit() {
            None => Ok(()),
            Some(exit) => Err(exit),
        }
    }
}

/// Under loom, a stand-in for `AtomicWaker` with the same `register`/`wake` contract, in a
/// loom mutex: `AtomicWaker`'s own atomics are invisible to loom, which would then see no
/// order between a slot's wake and the registration that follows it, and report a lost
/// wake-up that `AtomicWaker`'s read-modify-writes rule out. The model checks the slot
/// protocol around it, not `AtomicWaker` itself.
#[cfg(loom)]
struct AtomicWaker(Mutex<Option<Waker>>);

#[cfg(loom)]
impl AtomicWaker {
    fn new() -> Self {
        AtomicWaker(Mutex::new(None))
    }

    fn register(&self, waker: &Waker) {
        *lock(&self.0) = Some(waker.clone());
    }

    fn wake(&self) {
        let waker = lock(&self.0).take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The woken slots of one loop, shared with the slots' wakers.
struct Woken {
    slots: Mutex<Vec<usize>>,
    /// Set (Release) after a slot is pushed on `slots`; the poll clears it (Acquire) before it
    /// takes the list, so it locks only when something woke: a push after the clear sets it
    /// again, and is taken then or at the next poll, which its wake of the task causes.
    pending: AtomicBool,
    /// The task that awaits the loop.
    task: AtomicWaker,
}

/// The waker of one slot.
struct SlotWaker {
    index: usize,
    /// Whether the index is on `woken.slots` already.
    queued: AtomicBool,
    woken: Arc<Woken>,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Pairs with the poll's `swap(false)` before it polls the slot (see the module docs):
        // a poll whose swap reads this `true` sees what was written before this wake (Release);
        // a wake whose swap comes after the poll's reads `false` and queues the slot again.
        if !self.queued.swap(true, Ordering::AcqRel) {
            lock(&self.woken.slots).push(self.index);
            self.woken.pending.store(true, Ordering::Release);
        }
        self.woken.task.wake();
    }
}

struct Slot<F> {
    /// Pinned once, reused: `Pin::set` drops the finished future in place.
    future: Pin<Box<Option<F>>>,
    state: Arc<SlotWaker>,
    /// `state` as a `Waker`, made once: polling then costs no reference count.
    waker: Waker,
}

/// Where an async loop's items come from, as the [`Driver`] takes them: an iterator ([`Iter`]),
/// a [`Stream`] ([`StreamInput`]), or a `while let` loop's head ([`Head`]). `X` is the loop's
/// exit, which only a head can produce.
///
/// Not public API: the protocol of the [module docs](self).
#[doc(hidden)]
pub trait Input<X>: InputItem {
    /// Whether items come without waiting, from [`next`](Self::next) (an iterator); otherwise
    /// from [`poll_next`](Self::poll_next), polled by [`Wait`] while iterations run. A
    /// constant, so that the iterator path compiles to what it was before streams.
    const SYNC: bool;
    /// The next item, or `None` at the end. Only called if [`SYNC`](Self::SYNC).
    fn next(&mut self) -> Option<Self::Item> {
        None
    }
    /// The next item, `None` at the end, or the loop's exit (a failure in a head). Only
    /// called if not [`SYNC`](Self::SYNC), only when an iteration may start with its item,
    /// and never again once it returned `Ready(None)` or an exit.
    fn poll_next(&mut self, _cx: &mut Context<'_>) -> Poll<Option<Result<Self::Item, X>>> {
        Poll::Ready(None)
    }
}

/// The items of an [`Input`], whatever its exit.
#[doc(hidden)]
pub trait InputItem {
    /// One iteration's input.
    type Item;
}

/// An iterator as an async loop's input: pulled when an iteration can start with its item.
#[doc(hidden)]
pub struct Iter<I>(I);

impl<I: Iterator> InputItem for Iter<I> {
    type Item = I::Item;
}

impl<I: Iterator, X> Input<X> for Iter<I> {
    const SYNC: bool = true;
    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        self.0.next()
    }
}

/// A [`Stream`] as an async loop's input: polled while iterations run, whenever one may start.
#[doc(hidden)]
pub struct StreamInput<S>(S);

impl<S: Stream> InputItem for StreamInput<S> {
    type Item = S::Item;
}

impl<S: Stream + Unpin, X> Input<X> for StreamInput<S> {
    const SYNC: bool = false;
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<S::Item, X>>> {
        Pin::new(&mut self.0).poll_next(cx).map(|item| item.map(Ok))
    }
}

/// Where a `while let` loop's head hands its values to the loop, through its two ends: the
/// [`Giver`], used by the head's future (which evaluates the head each time it is
/// [`asked`](Giver::asked)), and the [`Taker`], held by the [`Head`] input that polls it.
///
/// The head is one future for the whole loop, not one per value, so that it borrows what the
/// head uses (`&mut rx`) once: a future per value would borrow it again while the driver
/// still holds the last one's type.
///
/// One task polls both ends, so the hand-off needs no lock: each of the port's states is
/// entered by one end only, with plain loads and stores (a `Mutex` and a swapped flag were
/// six locked instructions per value, more than half of a ready value's time). The ends are
/// `Send` so that the loop's future can move between threads between polls.
#[doc(hidden)]
pub struct Port<T> {
    /// [`EMPTY`], [`ASKED`] (by the taker), [`EVALUATING`] (the giver saw the ask) or
    /// [`FULL`] (the giver wrote `value`), and back to [`EMPTY`] (the taker took it).
    state: AtomicU8,
    /// The value given and not yet taken: written by the giver only in [`EVALUATING`], read by
    /// the taker only in [`FULL`].
    value: UnsafeCell<Option<T>>,
}

/// Nothing asked, no value.
const EMPTY: u8 = 0;
/// The taker asked for a value; the giver has not seen it.
const ASKED: u8 = 1;
/// The giver saw the ask and is evaluating the head.
const EVALUATING: u8 = 2;
/// The giver wrote the value; the taker has not taken it.
const FULL: u8 = 3;

impl<T> Port<T> {
    /// A port with no value and nothing asked.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Port {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    /// The port's two ends. There is one of each for as long as they live: the port is
    /// borrowed mutably meanwhile.
    pub fn split(&mut self) -> (Giver<'_, T>, Taker<'_, T>) {
        let port = &*self;
        (Giver(port), Taker(port))
    }
}

/// The end of a [`Port`] that the head's future gives its values through.
#[doc(hidden)]
pub struct Giver<'p, T>(&'p Port<T>);

/// The end of a [`Port`] that the loop takes the head's values from.
#[doc(hidden)]
pub struct Taker<'p, T>(&'p Port<T>);

// SAFETY: the only access the ends share is `value`, which the giver writes only in
// `EVALUATING`, entered after an Acquire load of the taker's Release store of `ASKED`, itself
// after the taker's last read; and which the taker reads only after an Acquire load of the
// giver's Release store of `FULL`, after the write. Each end is one of its kind (`split`
// borrows the port mutably) and needs `&mut` for anything that touches `value`, so moving an
// end to another thread never lets two threads use one end at once. A `T` moves from the
// thread of the giver to the thread of the taker: `T: Send`.
unsafe impl<T: Send> Send for Giver<'_, T> {}
// SAFETY: as for `Giver`.
unsafe impl<T: Send> Send for Taker<'_, T> {}

impl<'p, T> Giver<'p, T> {
    /// Resolves once the loop asks for the head's next value. Needs no waker: the driver
    /// polls the head's future right after asking.
    pub fn asked(&mut self) -> impl Future<Output = ()> + use<'_, 'p, T> {
        std::future::poll_fn(move |_| {
            // Acquire: the taker's read of the last value happened before its ask.
            if self.0.state.load(Ordering::Acquire) == ASKED {
                self.0.state.store(EVALUATING, Ordering::Relaxed);
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
    }

    /// Hands the head's value to the loop.
    ///
    /// # Panics
    ///
    /// Unless [`asked`](Self::asked) resolved since the last value was given: a head gives
    /// one value per ask.
    pub fn give(&mut self, value: T) {
        // The giver's own store: `EVALUATING` stays until this end leaves it.
        assert!(
            self.0.state.load(Ordering::Relaxed) == EVALUATING,
            "a head gives one value per ask"
        );
        // SAFETY: in `EVALUATING` the taker does not read `value` (it does only in `FULL`,
        // which only this end enters, below), and its last read happened before the ask that
        // `asked` loaded with Acquire; this end is used by one thread at a time (`&mut self`).
        unsafe { *self.0.value.get() = Some(value) };
        // Release: the taker's Acquire load of `FULL` sees the value written.
        self.0.state.store(FULL, Ordering::Release);
    }
}

impl<T> Taker<'_, T> {
    /// Asks the giver for the next value. Only after the last one was taken (or at first).
    fn ask(&mut self) {
        // Release: the giver's Acquire load of `ASKED` comes after this end's last read.
        self.0.state.store(ASKED, Ordering::Release);
    }

    /// The value given since the last ask, if there is one.
    fn take(&mut self) -> Option<T> {
        // Acquire: sees the giver's write of the value before its Release store of `FULL`.
        if self.0.state.load(Ordering::Acquire) != FULL {
            return None;
        }
        // SAFETY: in `FULL` the giver does not write `value` (it does only in `EVALUATING`,
        // entered after this end's next ask), and it wrote it before its Release store of
        // `FULL`, which the Acquire load above read; this end is used by one thread at a time
        // (`&mut self`).
        let value = unsafe { (*self.0.value.get()).take() };
        self.0.state.store(EMPTY, Ordering::Release);
        value
    }
}

/// A `while let` loop's head as an async loop's input: one future for the whole loop that
/// evaluates the head each time it is asked through a [`Port`], and resolves only when the
/// loop ends by the head (it did not match, or it failed).
#[doc(hidden)]
pub struct Head<'p, T, H> {
    taker: Taker<'p, T>,
    /// Boxed once: the driver is not pinned (the loop's `wait` borrows it).
    future: Pin<Box<H>>,
    /// Asked, and the value not yet given: the head is being evaluated.
    evaluating: bool,
}

impl<T, H> InputItem for Head<'_, T, H> {
    type Item = T;
}

impl<T, H: Future, X> Input<X> for Head<'_, T, H>
where
    H::Output: Split<Exit = X>,
{
    const SYNC: bool = false;
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, X>>> {
        if !self.evaluating {
            self.evaluating = true;
            self.taker.ask();
        }
        if let Poll::Ready(ended) = self.future.as_mut().poll(cx) {
            // The head did not match, or failed: either way there is no value.
            return Poll::Ready(ended.split().err().map(Err));
        }
        match self.taker.take() {
            Some(value) => {
                self.evaluating = false;
                Poll::Ready(Some(Ok(value)))
            }
            None => Poll::Pending,
        }
    }
}

/// One async loop's state: the input, the in-flight iterations, and how the loop ended.
///
/// Not public API: used by `#[fail_fast]`'s rewrite and by [`try_for_each`] and [`try_map`];
/// the module docs describe the protocol.
///
/// `T` is the input's item type, a parameter of its own rather than `S::Item`: the driver is
/// part of the loop's future, and rustc proves that future `Send` with the lifetimes of its
/// borrows erased. A field typed `S::Item`, for an input adapted by a closure that takes a
/// borrowed item (`urls.iter().filter(|u| ..)`), would ask rustc to prove that the closure
/// takes the items of any lifetime, which it does not: "implementation of `FnOnce` is not
/// general enough", at the `tokio::spawn` of a function whose sequential loop is `Send`.
#[doc(hidden)]
pub struct Driver<S, F: Future, T>
where
    F::Output: Split,
{
    /// `None` once exhausted, or once the loop has ended: dropping it drops a head's future
    /// in progress.
    input: Option<S>,
    /// An item of an input that is not [`Input::SYNC`], polled by [`Wait`], waiting for
    /// [`Driver::next_item`].
    ready: Option<T>,
    workers: usize,
    slots: Vec<Slot<F>>,
    /// Slots with no future in them.
    free: Vec<usize>,
    /// Slots started since the last poll, to be polled for the first time.
    fresh: Vec<usize>,
    running: usize,
    woken: Arc<Woken>,
    /// Scratch list of the slots to poll now, kept to reuse its allocation.
    polling: Vec<usize>,
    /// Iterations that may have started (polls that said one may) since the loop last yielded
    /// to the executor.
    since_yield: usize,
    /// Values of finished iterations, in the order they finished.
    values: Values<<F::Output as Split>::Value>,
    /// The loop's waker in its stop token, if it has one.
    stop: Option<Listening>,
    /// Why the loop was stopped from outside, once it was.
    stopped: Option<Stopped>,
}

/// The waker a loop lists in its stop token: wakes the task awaiting the loop.
struct WakeTask(Arc<Woken>);

impl Wake for WakeTask {
    fn wake(self: Arc<Self>) {
        self.0.task.wake();
    }
}

impl<I: Iterator, F: Future> Driver<Iter<I>, F, I::Item>
where
    F::Output: Split,
{
    /// A loop over `input` running at most `workers` iterations at once.
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    #[track_caller]
    pub fn new(input: impl IntoIterator<IntoIter = I>, workers: usize) -> Self {
        Driver::with_input(Iter(input.into_iter()), workers)
    }

    /// [`new`](Self::new), stopped when `stop` is: [`stopped_by`](Self::stopped_by).
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    #[track_caller]
    pub fn with_stop(
        input: impl IntoIterator<IntoIter = I>,
        workers: usize,
        stop: Option<&StopToken>,
    ) -> Self {
        Driver::new(input, workers).stopped_by(stop)
    }
}

impl<S: Stream + Unpin, F: Future> Driver<StreamInput<S>, F, S::Item>
where
    F::Output: Split,
{
    /// A loop over the items of `stream`, running at most `workers` iterations at once; the
    /// stream is polled while iterations run, whenever one may start.
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    #[track_caller]
    pub fn with_stream(stream: S, workers: usize) -> Self {
        Driver::with_input(StreamInput(stream), workers)
    }
}

impl<'p, T, H: Future, F: Future<Output = H::Output>> Driver<Head<'p, T, H>, F, T>
where
    F::Output: Split,
{
    /// A `while let` loop, running at most `workers` iterations at once, whose values come
    /// from `head` through the port of `taker`: a future for the whole loop that, each time
    /// [`Giver::asked`] resolves, evaluates the loop's head and [`Giver::give`]s its value, and
    /// that resolves with the iterations' own type when the head does not match (a success:
    /// the input has ended) or fails (an exit).
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    #[track_caller]
    pub fn with_head(taker: Taker<'p, T>, workers: usize, head: H) -> Self {
        Driver::with_input(
            Head {
                taker,
                future: Box::pin(head),
                evaluating: false,
            },
            workers,
        )
    }
}

impl<S, F: Future, T> Driver<S, F, T>
where
    F::Output: Split,
    S: Input<<F::Output as Split>::Exit, Item = T>,
{
    #[track_caller]
    fn with_input(input: S, workers: usize) -> Self {
        assert!(
            workers >= 1,
            "failfast: `workers` must be at least 1, got 0 (use `workers = 1` to run the iterations one at a time)"
        );
        Driver {
            input: Some(input),
            ready: None,
            workers,
            slots: Vec::new(),
            free: Vec::new(),
            fresh: Vec::new(),
            running: 0,
            woken: Arc::new(Woken {
                slots: Mutex::new(Vec::new()),
                pending: AtomicBool::new(false),
                task: AtomicWaker::new(),
            }),
            polling: Vec::new(),
            since_yield: 0,
            values: Values::new(),
            stop: None,
            stopped: None,
        }
    }

    /// This loop, stopped when `stop` is (see the module docs), whatever its input: a token
    /// stopped already ends the loop before anything is pulled (a stream is never polled, a
    /// head never evaluated), and a stop later drops the head's or the stream's future in
    /// progress with the in-flight iterations.
    pub fn stopped_by(mut self, stop: Option<&StopToken>) -> Self {
        if let Some(stop) = stop {
            let waker = Waker::from(Arc::new(WakeTask(Arc::clone(&self.woken))));
            match stop.listen(waker) {
                Ok(listening) => self.stop = Some(listening),
                Err(stopped) => self.end_stopped(stopped),
            }
        }
        self
    }

    /// Why the loop was stopped from outside, if it was: then [`wait`](Self::wait) ended with
    /// `Ok(())`, and the loop's outcome is this, not success.
    pub fn stopped(&self) -> Option<Stopped> {
        self.stopped
    }

    /// Whether the loop's stop token was stopped; if so, ends the loop.
    fn check_stop(&mut self) -> bool {
        if self.stopped.is_some() {
            return true;
        }
        match self.stop_reason() {
            Some(stopped) => {
                self.end_stopped(stopped);
                true
            }
            None => false,
        }
    }

    /// Ends the loop by a stop from outside: in-flight iterations are dropped at once.
    fn end_stopped(&mut self, stopped: Stopped) {
        self.stopped = Some(stopped);
        // A panic in an iteration's destructor resumes on the caller, as it would at a drop
        // of the loop's future.
        if let Some(payload) = self.cancel() {
            resume_unwind(payload);
        }
    }

    /// Why the loop's stop token was stopped, if it was (the loop may not know yet).
    fn stop_reason(&self) -> Option<Stopped> {
        self.stop.as_ref().and_then(Listening::reason)
    }

    /// The loop's end has just become certain (its last iteration is ready with the input
    /// exhausted, or the input ended with nothing running), and nothing is dropped yet: a
    /// stop that came before ends the loop stopped (an iteration may have stopped the token
    /// itself, or another thread while it ran), as a thread loop whose last visitor settles
    /// it does; one that comes after, from a destructor that follows, changes nothing.
    fn settle_stop(&mut self) {
        if self.stopped.is_none() {
            self.stopped = self.stop_reason();
        }
    }

    /// The next item, if an iteration may start with it now: a slot is free and the loop
    /// has not ended. The caller must [`start`](Self::start) its iteration.
    ///
    /// The item comes in a [`Moved`]: the rewrite's async block unwraps it with
    /// [`Moved::take`], which moves it into the block even when it is `Copy` (a `&T`, an
    /// integer), where `let pat = item;` would capture it by reference.
    pub fn next_item(&mut self) -> Option<Moved<T>> {
        self.pull().map(Moved)
    }

    fn pull(&mut self) -> Option<T> {
        if !S::SYNC {
            // Polled by `wait`, only when a slot was free: it still is. A stop since drops
            // it.
            if self.check_stop() {
                return None;
            }
            return self.ready.take();
        }
        if self.running == self.workers || self.check_stop() {
            return None;
        }
        let input = self.input.as_mut()?;
        match catch_unwind(AssertUnwindSafe(|| input.next())) {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                if self.running == 0 {
                    self.settle_stop();
                }
                self.input = None;
                None
            }
            Err(payload) => self.abort(payload),
        }
    }

    /// Polls an input that is not [`Input::SYNC`] for the next item, if an iteration may start
    /// with it and none waits already; the loop's end if the input ended it.
    fn poll_input(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Option<Result<(), <F::Output as Split>::Exit>> {
        if self.running == self.workers || self.ready.is_some() {
            return None;
        }
        // An iteration polled since `poll_wait`'s check may have stopped the token and
        // finished, freeing the slot: the input's next item would be taken only to be dropped
        // (a channel's message lost). Not once the input is exhausted: with nothing running,
        // the loop has ended then, and a stop changes nothing.
        if self.input.is_some() && self.check_stop() {
            return Some(Ok(()));
        }
        let input = self.input.as_mut()?;
        // The task's own waker: a wake-up of the input wakes the task, whose next poll polls
        // the input again (a spurious poll of a stream is allowed).
        match catch_unwind(AssertUnwindSafe(|| input.poll_next(cx))) {
            Ok(Poll::Pending) => None,
            Ok(Poll::Ready(Some(Ok(item)))) => {
                self.ready = Some(item);
                None
            }
            Ok(Poll::Ready(None)) => {
                if self.running == 0 {
                    self.settle_stop();
                }
                self.input = None;
                None
            }
            Ok(Poll::Ready(Some(Err(exit)))) => Some(self.exit(exit)),
            Err(payload) => self.abort(payload),
        }
    }

    /// Starts an iteration: it is polled for the first time at the next [`wait`](Self::wait).
    pub fn start(&mut self, future: F) {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = self.slots.len();
                let state = Arc::new(SlotWaker {
                    index,
                    queued: AtomicBool::new(false),
                    woken: Arc::clone(&self.woken),
                });
                self.slots.push(Slot {
                    future: Box::pin(None),
                    waker: Waker::from(Arc::clone(&state)),
                    state,
                });
                index
            }
        };
        self.slots[index].future.as_mut().set(Some(future));
        self.running += 1;
        self.fresh.push(index);
    }

    /// Polls the iterations that need it: resolves to `None` when another may start, or to the
    /// loop's end: `Ok(())` when the input is exhausted and every iteration finished, or the
    /// first exit.
    ///
    /// An opaque future, not [`Wait`] by name: the loop's future holds it across `.await`, and
    /// a named type would bring its bound on the iterations' type into that future's own
    /// checks, where an iteration of the wrong type (a user's macro that expands to `return
    /// Ok(Some(..))`) would be refused once more, in a message naming this module's types.
    pub fn wait(
        &mut self,
    ) -> impl Future<Output = Option<Result<(), <F::Output as Split>::Exit>>> + '_ {
        Wait { driver: self }
    }

    /// The loop's outcome as its iterations' type, from what [`wait`](Self::wait) ended with:
    /// the rewrite's way to give the loop the type of the function's iterations.
    pub fn outcome(&self, ended: Result<(), <F::Output as Split>::Exit>) -> F::Output
    where
        F::Output: LoopStep<Exit = <F::Output as Split>::Exit>,
    {
        match ended {
            Ok(()) => LoopStep::success(),
            Err(exit) => LoopStep::from_exit(exit),
        }
    }

    /// The values of the iterations finished so far, in the order they finished.
    fn take_values(&mut self) -> Values<<F::Output as Split>::Value> {
        std::mem::replace(&mut self.values, Values::new())
    }

    fn poll_wait(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(), <F::Output as Split>::Exit>>> {
        // Ended already (the input's end seen by `pull`, nothing running): a stop now changes
        // nothing.
        if self.stopped.is_none() && self.running == 0 && self.input.is_none() {
            return Poll::Ready(Some(Ok(())));
        }
        if self.check_stop() {
            return Poll::Ready(Some(Ok(())));
        }
        // The woken list is taken before the fresh iterations are polled, so that one that
        // wakes itself in its first poll is polled again at the next poll, not in this one.
        // A plain load first: with nothing woken (ready iterations), no read-modify-write.
        let woke = self.woken.pending.load(Ordering::Relaxed)
            && self.woken.pending.swap(false, Ordering::Acquire);
        if woke {
            self.polling.append(&mut lock(&self.woken.slots));
        }
        // By index: `poll_slot` needs `self`, and nothing is started while this runs.
        let mut next = 0;
        while let Some(&index) = self.fresh.get(next) {
            next += 1;
            if let Some(ended) = self.poll_slot::<true>(index) {
                self.fresh.clear();
                self.polling.clear();
                return Poll::Ready(Some(ended));
            }
        }
        self.fresh.clear();
        if woke {
            let mut polling = std::mem::take(&mut self.polling);
            for &index in &polling {
                if let Some(ended) = self.poll_slot::<false>(index) {
                    polling.clear();
                    self.polling = polling;
                    return Poll::Ready(Some(ended));
                }
            }
            polling.clear();
            self.polling = polling;
        }
        if !S::SYNC {
            if let Some(ended) = self.poll_input(cx) {
                return Poll::Ready(Some(ended));
            }
        }
        // With an iterator: a slot is free and the input may have more. Otherwise: an item
        // polled from the input waits for its slot.
        let startable = if S::SYNC {
            self.running < self.workers && self.input.is_some()
        } else {
            self.ready.is_some()
        };
        if startable {
            if self.since_yield < BUDGET {
                // Counted here rather than in `start`: beside `running += 1`, the two counters
                // were added as one 16-byte load and store, whose load then waited for the
                // separate 8-byte stores of the last poll (no store forwarding), a quarter
                // of a ready item's time in `aio_stream`.
                self.since_yield += 1;
                return Poll::Ready(None);
            }
            self.since_yield = 0;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.since_yield = 0;
        if self.running == 0 && self.input.is_none() {
            // Its end was settled as it became certain (see `settle_stop`).
            return Poll::Ready(Some(Ok(())));
        }
        // About to sleep: only now is the task's waker needed. A slot woken before it was
        // registered has set `pending`, and a stop the token's state, which are checked after
        // registering.
        self.woken.task.register(cx.waker());
        if self.check_stop() {
            return Poll::Ready(Some(Ok(())));
        }
        if self.woken.pending.load(Ordering::Acquire) {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }

    /// Polls one slot, for the first time since its iteration started if `FRESH`; the loop's
    /// end if this iteration ended it.
    fn poll_slot<const FRESH: bool>(
        &mut self,
        index: usize,
    ) -> Option<Result<(), <F::Output as Split>::Exit>> {
        let slot = &mut self.slots[index];
        // A read-modify-write, which the waker's `swap(true)` pairs with: if the waker's comes
        // first, this one reads its `true` (Acquire from its Release), so the poll below sees
        // whatever the waker's side wrote before `wake()`; if it comes second, it reads this
        // `false` and queues the slot again. A plain store here let a wake that landed
        // between the list's taking and the store queue nothing, while the poll could still
        // miss the iteration's own `Relaxed` write (store buffering).
        //
        // A fresh iteration's first poll needs none (see the module docs): nobody has its
        // waker yet, so a wake before it is a stale one of an earlier iteration of the slot,
        // with nothing this one must see; and a `queued` left `true` by it keeps its promise,
        // a later poll that swaps, whatever wakes the new iteration meanwhile.
        if !FRESH {
            slot.state.queued.swap(false, Ordering::Acquire);
        }
        let Some(future) = slot.future.as_mut().as_pin_mut() else {
            // A wake-up that came after its iteration finished.
            return None;
        };
        let waker = &slot.waker;
        let polled = catch_unwind(AssertUnwindSafe(|| {
            future.poll(&mut Context::from_waker(waker))
        }));
        let output = match polled {
            Ok(Poll::Pending) => return None,
            Ok(Poll::Ready(output)) => output,
            Err(payload) => self.abort(payload),
        };
        if self.running == 1 && self.input.is_none() {
            self.settle_stop();
        }
        self.slots[index].future.as_mut().set(None);
        self.free.push(index);
        self.running -= 1;
        match output.split() {
            Ok(value) => {
                self.values.push(value);
                None
            }
            Err(exit) => Some(self.exit(exit)),
        }
    }

    /// Ends the loop with `exit` (an iteration's, or a head's): the in-flight iterations and
    /// the input are dropped. An exit found after the loop's token was stopped came after the
    /// stop, and is dropped like any after the first: the loop ends stopped, with `Ok(())`.
    fn exit(&mut self, exit: <F::Output as Split>::Exit) -> Result<(), <F::Output as Split>::Exit> {
        if let Some(stopped) = self.stop_reason() {
            let mut first = catch_unwind(AssertUnwindSafe(|| drop(exit))).err();
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| self.end_stopped(stopped))) {
                keep_first(&mut first, payload);
            }
            if let Some(first) = first {
                resume_unwind(first);
            }
            return Ok(());
        }
        if let Some(payload) = self.cancel() {
            // A panic dropping another iteration wins over the exit, dropped first.
            let mut first = Some(payload);
            if let Err(late) = catch_unwind(AssertUnwindSafe(|| drop(exit))) {
                keep_first(&mut first, late);
            }
            resume_unwind(first.unwrap_or_else(|| unreachable!("`first` was given")));
        }
        Err(exit)
    }

    /// Ends the loop with a panic: the other iterations are dropped first (a panic in their
    /// destructors is dropped: the first panic is the one that counts).
    fn abort(&mut self, payload: Box<dyn std::any::Any + Send>) -> ! {
        let mut first = Some(payload);
        if let Some(late) = self.cancel() {
            keep_first(&mut first, late);
        }
        resume_unwind(first.unwrap_or_else(|| unreachable!("`first` was given")))
    }
}

impl<S, F: Future, T> Driver<S, F, T>
where
    F::Output: Split,
{
    /// Drops every in-flight iteration and the input: the loop has ended. Each on its own: a
    /// panicking `Drop` (an item's, held by its iteration) neither skips the others nor, with
    /// a second one, aborts the process; the first payload is returned.
    fn cancel(&mut self) -> Option<Box<dyn std::any::Any + Send>> {
        let mut first = None;
        self.stop = None;
        let input = self.input.take();
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(input))) {
            keep_first(&mut first, payload);
        }
        let ready = self.ready.take();
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(ready))) {
            keep_first(&mut first, payload);
        }
        for slot in &mut self.slots {
            // The slot is `None` afterwards also if the drop panics.
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| slot.future.as_mut().set(None)))
            {
                keep_first(&mut first, payload);
            }
        }
        self.running = 0;
        first
    }
}

impl<S, F: Future, T> Drop for Driver<S, F, T>
where
    F::Output: Split,
{
    /// The loop's future was dropped (a timeout, an aborted task), or unwinds: the in-flight
    /// iterations are dropped one by one (see [`Driver::cancel`]), and the first panic of
    /// their destructors resumes, unless a panic unwinds already.
    fn drop(&mut self) {
        if let Some(payload) = self.cancel() {
            if std::thread::panicking() {
                keep_first(&mut Some(Box::new(())), payload);
            } else {
                resume_unwind(payload);
            }
        }
    }
}

/// An item on its way into an iteration's async block; see [`Driver::next_item`].
#[doc(hidden)]
pub struct Moved<T>(T);

impl<T> Moved<T> {
    /// The item.
    pub fn take(self) -> T {
        self.0
    }
}

/// The future of [`Driver::wait`].
#[doc(hidden)]
pub struct Wait<'d, S, F: Future, T>
where
    F::Output: Split,
{
    driver: &'d mut Driver<S, F, T>,
}

impl<S, F: Future, T> Future for Wait<'_, S, F, T>
where
    F::Output: Split,
    S: Input<<F::Output as Split>::Exit, Item = T>,
{
    type Output = Option<Result<(), <F::Output as Split>::Exit>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.driver.poll_wait(cx)
    }
}

/// What a loop ended with: its first exit or `Ok`, and its iterations' values.
type Ended<F> = (
    Result<(), <<F as Future>::Output as Split>::Exit>,
    Values<<<F as Future>::Output as Split>::Value>,
);

/// Runs the async loop `driver` with `body` making each iteration's future; the loop's end,
/// or the stop that ended it.
async fn run<S, F, B, T>(mut driver: Driver<S, F, T>, mut body: B) -> Result<Ended<F>, Stopped>
where
    F: Future,
    F::Output: Split,
    S: Input<<F::Output as Split>::Exit, Item = T>,
    B: FnMut(T) -> F,
{
    loop {
        if let Some(item) = driver.next_item() {
            driver.start(body(item.take()));
        }
        if let Some(ended) = driver.wait().await {
            return match driver.stopped() {
                Some(stopped) => Err(stopped),
                None => Ok((ended, driver.take_values())),
            };
        }
    }
}

/// The outcome of a loop that has no stop token.
fn never_stopped<T>(ended: Result<T, Stopped>) -> T {
    crate::never_stopped(ended)
}

/// Runs the async function `f` for every item of `iterable`, at most `workers` at once, and
/// returns the first failure.
///
/// `f` is an async closure, or any function returning a future (`F: FnMut(T) -> Fut`, as
/// generic code passes it on), whose output is `Result<(), E>` or `Option<()>`. Its iterations
/// are futures polled by the returned future on the task that
/// awaits it: they wait in parallel, they do not compute in parallel (use
/// [`crate::try_for_each`] for CPU work). They may borrow locals and need not be `Send`.
///
/// - The input is pulled only when an iteration can start with its item: nothing is pulled
///   ahead, and an endless input works.
/// - At the first failure, the other in-flight iterations are dropped at once (they never
///   resume), nothing more is pulled, and the failure is returned without waiting for them.
/// - Dropping the returned future drops every in-flight iteration the same way.
/// - A panic in an iteration (or in the input's `next()`) drops the others and propagates out
///   of the poll at once, with its payload.
/// - A loop with many ready iterations yields to the executor every [`BUDGET`] iterations.
///
/// The returned future is `Send` when the input, `f` and its futures are; but not over an input
/// that an adapter's closure makes from borrowed items (`urls.iter().filter(|u| ..)`):
/// `tokio::spawn` then reports "implementation of `FnOnce` is not general enough". The future
/// names the input's item type through the adapter, which rustc cannot prove `Send` for every
/// lifetime of the borrow. Adapt owned items (`urls.iter().cloned().filter(..)`), or write the
/// loop as a `#[fail_fast]` async loop, whose future does not name that type.
///
/// An `async move` closure whose futures borrow what the closure owns ("async closure does not
/// implement `FnMut` because it captures state from its environment") goes to
/// [`try_for_each_borrowing`], whose iterations all borrow the one closure.
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let limit = 10;
/// let checked = block_on(failfast_runtime::future::try_for_each(1..=20, 4, async |n| {
///     if n > limit { Err(n) } else { Ok(()) }
/// }));
/// assert!(matches!(checked, Err(n) if n > 10));
///
/// // Generic code passes on any function that returns a future.
/// async fn check_all<F, Fut>(items: Vec<u32>, check: F) -> Result<(), String>
/// where
///     F: Fn(u32) -> Fut,
///     Fut: std::future::Future<Output = Result<(), String>>,
/// {
///     failfast_runtime::future::try_for_each(items, 4, check).await
/// }
/// let odd = block_on(check_all(vec![2, 4, 5], |n| async move {
///     if n % 2 == 0 { Ok(()) } else { Err(format!("{n} is odd")) }
/// }));
/// assert_eq!(odd, Err("5 is odd".to_string()));
/// ```
#[track_caller]
pub fn try_for_each<I, F, Fut, R>(iterable: I, workers: usize, f: F) -> impl Future<Output = R>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = R>,
    R: Outcome,
{
    crate::check_workers(workers);
    async move { never_stopped(for_each_in(iterable, workers, None, f).await) }
}

/// [`try_for_each`] for an async closure whose futures borrow the closure itself (an
/// `async move` closure that uses what it owns by reference): every iteration borrows the one
/// closure, so it takes `F: AsyncFn`, not `FnMut`.
///
/// No bound accepts both shapes on stable Rust: a closure that returns a future is taken as
/// `FnMut` before rustc knows whether its futures borrow it, and generic code's
/// `F: FnMut(T) -> Fut` is not `AsyncFn`. Everything else is [`try_for_each`]'s.
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let limit = String::from("ten");
/// // Each future borrows `limit`, which the closure owns.
/// let check = async move |n: u32| if n as usize > limit.len() { Err(n) } else { Ok(()) };
/// let checked = block_on(failfast_runtime::future::try_for_each_borrowing(1..=20, 4, check));
/// assert!(matches!(checked, Err(n) if n > 3));
/// ```
#[track_caller]
pub fn try_for_each_borrowing<I, F, R>(iterable: I, workers: usize, f: F) -> impl Future<Output = R>
where
    I: IntoIterator,
    F: AsyncFn(I::Item) -> R,
    R: Outcome,
{
    crate::check_workers(workers);
    async move {
        let f = &f;
        // Called through `&F`, each future borrows the closure for as long as the loop holds it,
        // not for the call: this closure is an ordinary `FnMut` for the loop.
        never_stopped(for_each_in(iterable, workers, None, move |item| f(item)).await)
    }
}

/// The loop of [`try_for_each`], stopped by `stop` if given.
async fn for_each_in<I, F, Fut, R>(
    iterable: I,
    workers: usize,
    stop: Option<&StopToken>,
    f: F,
) -> Result<R, Stopped>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = R>,
    R: Outcome,
{
    for_each_of(Iter(iterable.into_iter()), workers, stop, f).await
}

/// The loop of [`try_for_each`] and [`try_for_each_stream`] over `input`, stopped by `stop`
/// if given.
async fn for_each_of<S, F, Fut, R>(
    input: S,
    workers: usize,
    stop: Option<&StopToken>,
    f: F,
) -> Result<R, Stopped>
where
    S: Input<R::Failure>,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = R>,
    R: Outcome,
{
    let driver = Driver::with_input(input, workers).stopped_by(stop);
    Ok(match run(driver, f).await?.0 {
        Ok(()) => R::success(),
        Err(failure) => R::from_failure(failure),
    })
}

/// One mapped item: its input index and the function's result.
#[doc(hidden)]
pub struct Indexed<U, E>(usize, Result<U, E>);

impl<U, E> Split for Indexed<U, E> {
    type Value = (usize, U);
    type Exit = E;
    fn split(self) -> Result<(usize, U), E> {
        let Indexed(index, result) = self;
        result.map(|value| (index, value))
    }
}

/// Maps every item of `iterable` with the async function `f`, at most `workers` at once, and
/// returns the values in input order, or the first failure.
///
/// The same loop as [`try_for_each`] (no pulling ahead, drop-cancellation, panics; `f` an async
/// closure or any function returning a future), keeping each iteration's value. An `async move`
/// closure whose futures borrow what it owns goes to [`try_map_borrowing`].
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let lengths = block_on(failfast_runtime::future::try_map(["a", "bb", "ccc"], 2, async |s: &str| {
///     Ok::<_, ()>(s.len())
/// }));
/// assert_eq!(lengths, Ok(vec![1, 2, 3]));
///
/// // Generic code passes on any function that returns a future.
/// async fn sizes<F, Fut>(names: &[&str], size: F) -> Result<Vec<usize>, String>
/// where
///     F: FnMut(&str) -> Fut,
///     Fut: std::future::Future<Output = Result<usize, String>>,
/// {
///     failfast_runtime::future::try_map(names.iter().copied(), 2, size).await
/// }
/// let sized = block_on(sizes(&["a", "bb"], |s| {
///     let n = s.len();
///     async move { Ok(n) }
/// }));
/// assert_eq!(sized, Ok(vec![1, 2]));
/// ```
#[track_caller]
pub fn try_map<I, F, Fut, U, E>(
    iterable: I,
    workers: usize,
    f: F,
) -> impl Future<Output = Result<Vec<U>, E>>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Result<U, E>>,
{
    crate::check_workers(workers);
    async move { never_stopped(map_in(iterable, workers, None, f).await) }
}

/// [`try_map`] for an async closure whose futures borrow the closure itself: see
/// [`try_for_each_borrowing`].
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let unit = String::from("px");
/// let measure = async move |word: &str| Ok::<_, ()>(format!("{}{unit}", word.len()));
/// let sizes = block_on(failfast_runtime::future::try_map_borrowing(["a", "bb"], 2, measure));
/// assert_eq!(sizes, Ok(vec!["1px".to_string(), "2px".to_string()]));
/// ```
#[track_caller]
pub fn try_map_borrowing<I, F, U, E>(
    iterable: I,
    workers: usize,
    f: F,
) -> impl Future<Output = Result<Vec<U>, E>>
where
    I: IntoIterator,
    F: AsyncFn(I::Item) -> Result<U, E>,
{
    crate::check_workers(workers);
    async move {
        let f = &f;
        never_stopped(map_in(iterable, workers, None, move |item| f(item)).await)
    }
}

/// The loop of [`try_map`], stopped by `stop` if given.
async fn map_in<I, F, Fut, U, E>(
    iterable: I,
    workers: usize,
    stop: Option<&StopToken>,
    f: F,
) -> Result<Result<Vec<U>, E>, Stopped>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Result<U, E>>,
{
    map_of(Iter(iterable.into_iter()), workers, stop, f).await
}

/// The loop of [`try_map`] and [`try_map_stream`] over `input`, stopped by `stop` if given.
async fn map_of<S, F, Fut, U, E>(
    input: S,
    workers: usize,
    stop: Option<&StopToken>,
    mut f: F,
) -> Result<Result<Vec<U>, E>, Stopped>
where
    S: Input<E>,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = Result<U, E>>,
{
    // Items start in the input's order, one at a time: counting them gives their index.
    let mut next_index = 0;
    let driver = Driver::with_input(input, workers).stopped_by(stop);
    let (ended, pairs) = run(driver, |item| {
        let index = next_index;
        next_index += 1;
        let mapped = f(item);
        async move { Indexed(index, mapped.await) }
    })
    .await?;
    if let Err(error) = ended {
        return Ok(Err(error));
    }
    let mut pairs = pairs.into_vec();
    pairs.sort_unstable_by_key(|&(index, _)| index);
    Ok(Ok(pairs.into_iter().map(|(_, value)| value).collect()))
}

/// An async loop with options: how many iterations in flight at once, and a [`StopToken`] that
/// stops it from outside. The same loops as [`try_for_each`], [`try_map`],
/// [`try_for_each_stream`] and [`try_map_stream`].
///
/// When the token is stopped before the loop has ended, the in-flight iterations are dropped
/// at once (they never resume), nothing more is pulled, and the loop returns `Err(Stopped)`
/// converted with `From` into the error type (`None` for `Option<()>`). A loop whose
/// iterations are all pending is woken by the stop: nothing polls the token. A stop that
/// comes after the loop has finished changes nothing; a token stopped before it starts:
/// nothing is pulled.
///
/// There is no timeout here: an async loop stops when its future is dropped, so wrap the call
/// in the executor's timeout (`tokio::time::timeout(d, loop)`), or stop the token from a
/// timer task.
///
/// As for the thread [`Loop`](crate::Loop), only a loop that can be stopped needs an error
/// type that holds [`Stopped`]: `Loop::new(workers)` is a `Loop<'_, Unstoppable>` whose loops
/// return any error, and [`stop`](Loop::stop) (or `.into()`) makes it a `Loop<'_, Stoppable>`.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// use failfast_runtime::{future::Loop, StopToken, Stopped};
///
/// let token = StopToken::new();
/// let result: Result<(), Stopped> = block_on(Loop::new(4).stop(&token).try_for_each(
///     0..,
///     async |i| {
///         if i == 10 {
///             token.stop();
///             std::future::pending::<()>().await; // dropped, never resumed
///         }
///         Ok(())
///     },
/// ));
/// assert_eq!(result, Err(Stopped::by_token()));
/// ```
#[derive(Clone, Copy)]
#[must_use = "a `Loop` does nothing until `try_for_each`, `try_map` or their `_stream` forms run it"]
pub struct Loop<'s, Stop = Unstoppable> {
    workers: usize,
    stop: Option<&'s StopToken>,
    stoppable: PhantomData<Stop>,
}

impl<Stop> std::fmt::Debug for Loop<'_, Stop> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loop")
            .field("workers", &self.workers)
            .field("stop", &self.stop)
            .finish()
    }
}

/// A loop that nothing stops yet, as a `Loop<'_, Stoppable>`: for code that picks at run
/// time whether a token stops it (see the thread [`Loop`](crate::Loop)'s `From`).
impl<'s> From<Loop<'s, Unstoppable>> for Loop<'s, Stoppable> {
    fn from(unstoppable: Loop<'s, Unstoppable>) -> Self {
        Loop {
            workers: unstoppable.workers,
            stop: None,
            stoppable: PhantomData,
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
    /// let in_flight = failfast_runtime::future::Loop::new(50);
    /// # let _ = in_flight;
    /// ```
    #[track_caller]
    pub fn new(workers: usize) -> Loop<'s> {
        crate::check_workers(workers);
        Loop {
            workers,
            stop: None,
            stoppable: PhantomData,
        }
    }

    /// [`try_for_each`] with `workers` from this loop: the first failure.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let result = block_on(failfast_runtime::future::Loop::new(4).try_for_each(0..10, async |n| {
    ///     if n == 3 { Err(format!("item {n} failed")) } else { Ok(()) }
    /// }));
    /// assert_eq!(result, Err("item 3 failed".to_string()));
    /// ```
    pub async fn try_for_each<I, F, Fut, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> Fut,
        Fut: Future<Output = R>,
        R: Outcome,
    {
        crate::never_stopped(for_each_in(iterable, self.workers, None, f).await)
    }

    /// [`try_map`] with `workers` from this loop: the values in input order, or the first
    /// failure.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let lengths = block_on(
    ///     failfast_runtime::future::Loop::new(2).try_map(["a", "bb"], async |s: &str| Ok::<_, ()>(s.len())),
    /// );
    /// assert_eq!(lengths, Ok(vec![1, 2]));
    /// ```
    pub async fn try_map<I, F, Fut, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> Fut,
        Fut: Future<Output = Result<U, E>>,
    {
        crate::never_stopped(map_in(iterable, self.workers, None, f).await)
    }

    /// [`try_for_each_borrowing`] with `workers` from this loop: for an async closure whose
    /// futures borrow the closure itself.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let prefix = String::from("item");
    /// let check = async move |n: u32| if n == 3 { Err(format!("{prefix} {n}")) } else { Ok(()) };
    /// let result = block_on(failfast_runtime::future::Loop::new(4).try_for_each_borrowing(0..10, check));
    /// assert_eq!(result, Err("item 3".to_string()));
    /// ```
    pub async fn try_for_each_borrowing<I, F, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        F: AsyncFn(I::Item) -> R,
        R: Outcome,
    {
        try_for_each_borrowing(iterable, self.workers, f).await
    }

    /// [`try_map_borrowing`] with `workers` from this loop: the values in input order, or the
    /// first failure.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let prefix = String::from("item");
    /// let name = async move |n: u32| Ok::<_, ()>(format!("{prefix} {n}"));
    /// let names = block_on(failfast_runtime::future::Loop::new(4).try_map_borrowing(0..2, name));
    /// assert_eq!(names.unwrap(), ["item 0", "item 1"]);
    /// ```
    pub async fn try_map_borrowing<I, F, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        F: AsyncFn(I::Item) -> Result<U, E>,
    {
        try_map_borrowing(iterable, self.workers, f).await
    }

    /// [`try_for_each_stream`] with `workers` from this loop: the first failure.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's (or the stream's) panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let numbers = futures::stream::iter(1..=5);
    /// let result = block_on(failfast_runtime::future::Loop::new(2).try_for_each_stream(
    ///     numbers,
    ///     async |n: u32| if n < 4 { Ok(()) } else { Err(n) },
    /// ));
    /// assert_eq!(result, Err(4));
    /// ```
    pub async fn try_for_each_stream<S, F, Fut, R>(self, stream: S, f: F) -> R
    where
        S: Stream,
        F: FnMut(S::Item) -> Fut,
        Fut: Future<Output = R>,
        R: Outcome,
    {
        crate::never_stopped(for_each_stream_in(stream, self.workers, None, f).await)
    }

    /// [`try_map_stream`] with `workers` from this loop: the values in the stream's order,
    /// or the first failure.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's (or the stream's) panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let words = futures::stream::iter(["a", "bb", "ccc"]);
    /// let lengths = block_on(
    ///     failfast_runtime::future::Loop::new(2).try_map_stream(words, async |s: &str| Ok::<_, ()>(s.len())),
    /// );
    /// assert_eq!(lengths, Ok(vec![1, 2, 3]));
    /// ```
    pub async fn try_map_stream<S, F, Fut, U, E>(self, stream: S, f: F) -> Result<Vec<U>, E>
    where
        S: Stream,
        F: FnMut(S::Item) -> Fut,
        Fut: Future<Output = Result<U, E>>,
    {
        crate::never_stopped(map_stream_in(stream, self.workers, None, f).await)
    }
}

impl<'s, Stop> Loop<'s, Stop> {
    /// The loop stops when `token` is stopped (a clone of it, or a parent it is a child of).
    ///
    /// ```
    /// let token = failfast_runtime::StopToken::new();
    /// let stoppable = failfast_runtime::future::Loop::new(8).stop(&token);
    /// # let _ = stoppable;
    /// ```
    pub fn stop(self, token: &'s StopToken) -> Loop<'s, Stoppable> {
        Loop {
            workers: self.workers,
            stop: Some(token),
            stoppable: PhantomData,
        }
    }
}

impl Loop<'_, Stoppable> {
    /// [`try_for_each`] with this loop's options: the first failure, or the stop converted
    /// with [`FromStopped`] (`Err(e)` with `e: From<Stopped>`, or `None`).
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let token = failfast_runtime::StopToken::new();
    /// token.stop();
    /// let result: std::io::Result<()> = block_on(
    ///     failfast_runtime::future::Loop::new(4)
    ///         .stop(&token)
    ///         .try_for_each(0..10, async |_| Ok(())),
    /// );
    /// assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    /// ```
    pub async fn try_for_each<I, F, Fut, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> Fut,
        Fut: Future<Output = R>,
        R: Outcome + FromStopped,
    {
        for_each_in(iterable, self.workers, self.stop, f)
            .await
            .unwrap_or_else(R::from_stopped)
    }

    /// [`try_map`] with this loop's options: the values in input order, the first failure,
    /// or the stop converted with `From`.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let token = failfast_runtime::StopToken::new();
    /// let lengths = block_on(
    ///     failfast_runtime::future::Loop::new(2)
    ///         .stop(&token)
    ///         .try_map(["a", "bb"], async |s: &str| Ok::<_, failfast_runtime::Stopped>(s.len())),
    /// );
    /// assert_eq!(lengths, Ok(vec![1, 2]));
    /// ```
    pub async fn try_map<I, F, Fut, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        F: FnMut(I::Item) -> Fut,
        Fut: Future<Output = Result<U, E>>,
        Result<Vec<U>, E>: FromStopped,
    {
        map_in(iterable, self.workers, self.stop, f)
            .await
            .unwrap_or_else(FromStopped::from_stopped)
    }

    /// [`try_for_each_borrowing`] with this loop's options: the first failure, or the stop
    /// converted with [`FromStopped`].
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let token = failfast_runtime::StopToken::new();
    /// token.stop();
    /// let log = String::from("log");
    /// let check = async move |_: u32| if log.is_empty() { Err(std::io::Error::other("")) } else { Ok(()) };
    /// let result = block_on(
    ///     failfast_runtime::future::Loop::new(4).stop(&token).try_for_each_borrowing(0..10, check),
    /// );
    /// assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    /// ```
    pub async fn try_for_each_borrowing<I, F, R>(self, iterable: I, f: F) -> R
    where
        I: IntoIterator,
        F: AsyncFn(I::Item) -> R,
        R: Outcome + FromStopped,
    {
        let f = &f;
        for_each_in(iterable, self.workers, self.stop, move |item| f(item))
            .await
            .unwrap_or_else(R::from_stopped)
    }

    /// [`try_map_borrowing`] with this loop's options: the values in input order, the first
    /// failure, or the stop converted with [`FromStopped`].
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let token = failfast_runtime::StopToken::new();
    /// let prefix = String::from("item");
    /// let name = async move |n: u32| Ok::<_, failfast_runtime::Stopped>(format!("{prefix} {n}"));
    /// let names = block_on(
    ///     failfast_runtime::future::Loop::new(4).stop(&token).try_map_borrowing(0..2, name),
    /// );
    /// assert_eq!(names.unwrap(), ["item 0", "item 1"]);
    /// ```
    pub async fn try_map_borrowing<I, F, U, E>(self, iterable: I, f: F) -> Result<Vec<U>, E>
    where
        I: IntoIterator,
        F: AsyncFn(I::Item) -> Result<U, E>,
        Result<Vec<U>, E>: FromStopped,
    {
        let f = &f;
        map_in(iterable, self.workers, self.stop, move |item| f(item))
            .await
            .unwrap_or_else(FromStopped::from_stopped)
    }

    /// [`try_for_each_stream`] with this loop's options: the first failure, or the stop
    /// converted with [`FromStopped`]. At the stop, the stream's poll in progress (a page
    /// being fetched) is dropped with the in-flight iterations, and the stream is not polled
    /// again.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's (or the stream's) panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// use failfast_runtime::{future::Loop, StopToken, Stopped};
    ///
    /// let token = StopToken::new();
    /// // An endless stream: only the stop ends the loop.
    /// let numbers = futures::stream::iter(0..);
    /// let result: Result<(), Stopped> =
    ///     block_on(Loop::new(4).stop(&token).try_for_each_stream(numbers, async |n| {
    ///         if n == 10 {
    ///             token.stop();
    ///             std::future::pending::<()>().await; // dropped, never resumed
    ///         }
    ///         Ok(())
    ///     }));
    /// assert_eq!(result, Err(Stopped::by_token()));
    /// ```
    pub async fn try_for_each_stream<S, F, Fut, R>(self, stream: S, f: F) -> R
    where
        S: Stream,
        F: FnMut(S::Item) -> Fut,
        Fut: Future<Output = R>,
        R: Outcome + FromStopped,
    {
        for_each_stream_in(stream, self.workers, self.stop, f)
            .await
            .unwrap_or_else(R::from_stopped)
    }

    /// [`try_map_stream`] with this loop's options: the values in the stream's order, the
    /// first failure, or the stop converted with `From`.
    ///
    /// # Panics
    ///
    /// With the payload of an iteration's (or the stream's) panic.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut f = std::pin::pin!(f);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// let token = failfast_runtime::StopToken::new();
    /// let words = futures::stream::iter(["a", "bb", "ccc"]);
    /// let lengths = block_on(
    ///     failfast_runtime::future::Loop::new(2)
    ///         .stop(&token)
    ///         .try_map_stream(words, async |s: &str| Ok::<_, failfast_runtime::Stopped>(s.len())),
    /// );
    /// assert_eq!(lengths, Ok(vec![1, 2, 3]));
    ///
    /// // Stopped before it starts: the stream is never polled.
    /// token.stop();
    /// let never = futures::stream::poll_fn(|_| -> std::task::Poll<Option<u8>> {
    ///     unreachable!("a stopped loop polls nothing")
    /// });
    /// let stopped: Result<Vec<u8>, std::io::Error> = block_on(
    ///     failfast_runtime::future::Loop::new(2)
    ///         .stop(&token)
    ///         .try_map_stream(never, async |n| Ok(n)),
    /// );
    /// assert_eq!(stopped.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    /// ```
    pub async fn try_map_stream<S, F, Fut, U, E>(self, stream: S, f: F) -> Result<Vec<U>, E>
    where
        S: Stream,
        F: FnMut(S::Item) -> Fut,
        Fut: Future<Output = Result<U, E>>,
        Result<Vec<U>, E>: FromStopped,
    {
        map_stream_in(stream, self.workers, self.stop, f)
            .await
            .unwrap_or_else(FromStopped::from_stopped)
    }
}

/// Runs the async function `f` for every item of `stream`, at most `workers` at once, and
/// returns the first failure: [`try_for_each`] over a [`Stream`].
///
/// The stream is polled while iterations run, and only when an iteration can start with its
/// item: nothing is taken ahead, every item taken starts an iteration (unless the loop ended
/// meanwhile), and a paginated listing fetches its next page while the last page's items are
/// being processed. At the first failure the in-flight iterations are dropped, the stream is
/// not polled again, and the stream is dropped with the returned future: an item it was
/// producing is lost, which is fine for cancel-safe streams (a channel's receiver) and drops
/// the page in flight for a paginator.
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's (or the stream's) panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// use futures::stream;
///
/// let pages = stream::iter(vec![vec![1, 2], vec![3, 40]]);
/// let items = futures::StreamExt::flat_map(pages, stream::iter);
/// let checked = block_on(failfast_runtime::future::try_for_each_stream(items, 4, async |n| {
///     if n > 10 { Err(n) } else { Ok(()) }
/// }));
/// assert_eq!(checked, Err(40));
/// ```
#[track_caller]
pub fn try_for_each_stream<S, F, Fut, R>(stream: S, workers: usize, f: F) -> impl Future<Output = R>
where
    S: Stream,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = R>,
    R: Outcome,
{
    crate::check_workers(workers);
    async move { never_stopped(for_each_stream_in(stream, workers, None, f).await) }
}

/// The loop of [`try_for_each_stream`], stopped by `stop` if given.
async fn for_each_stream_in<S, F, Fut, R>(
    stream: S,
    workers: usize,
    stop: Option<&StopToken>,
    f: F,
) -> Result<R, Stopped>
where
    S: Stream,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = R>,
    R: Outcome,
{
    let stream = std::pin::pin!(stream);
    for_each_of(StreamInput(stream), workers, stop, f).await
}

/// Maps every item of `stream` with the async function `f`, at most `workers` at once, and
/// returns the values in the stream's order, or the first failure: [`try_map`] over a
/// [`Stream`], polled as [`try_for_each_stream`] polls it.
///
/// # Panics
///
/// If `workers` is 0, and with the payload of an iteration's (or the stream's) panic.
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let words = futures::stream::iter(["a", "bb", "ccc"]);
/// let lengths = block_on(failfast_runtime::future::try_map_stream(words, 2, async |s: &str| {
///     Ok::<_, ()>(s.len())
/// }));
/// assert_eq!(lengths, Ok(vec![1, 2, 3]));
/// ```
#[track_caller]
pub fn try_map_stream<S, F, Fut, U, E>(
    stream: S,
    workers: usize,
    f: F,
) -> impl Future<Output = Result<Vec<U>, E>>
where
    S: Stream,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = Result<U, E>>,
{
    crate::check_workers(workers);
    async move { never_stopped(map_stream_in(stream, workers, None, f).await) }
}

/// The loop of [`try_map_stream`], stopped by `stop` if given.
async fn map_stream_in<S, F, Fut, U, E>(
    stream: S,
    workers: usize,
    stop: Option<&StopToken>,
    f: F,
) -> Result<Result<Vec<U>, E>, Stopped>
where
    S: Stream,
    F: FnMut(S::Item) -> Fut,
    Fut: Future<Output = Result<U, E>>,
{
    let stream = std::pin::pin!(stream);
    map_of(StreamInput(stream), workers, stop, f).await
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    /// Runs `future` to the end, parking between polls; fails if a wake-up never comes.
    fn block_on<F: Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread, AtomicBool);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.wake_by_ref();
            }
            fn wake_by_ref(self: &Arc<Self>) {
                self.1.store(true, Ordering::Release);
                self.0.unpark();
            }
        }
        let unpark = Arc::new(Unpark(std::thread::current(), AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&unpark));
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut Context::from_waker(&waker)) {
                return output;
            }
            let started = std::time::Instant::now();
            while !unpark.1.swap(false, Ordering::Acquire) {
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "a wake-up was lost: the loop sleeps with iterations done"
                );
                std::thread::park_timeout(Duration::from_millis(100));
            }
        }
    }

    /// An iteration that is woken, once, by another thread.
    fn woken_from_another_thread() -> impl Future<Output = ()> {
        let done = Arc::new(AtomicBool::new(false));
        let mut spawned = false;
        std::future::poll_fn(move |cx| {
            if done.load(Ordering::Acquire) {
                return Poll::Ready(());
            }
            if !spawned {
                spawned = true;
                let (done, waker) = (Arc::clone(&done), cx.waker().clone());
                std::thread::spawn(move || {
                    done.store(true, Ordering::Release);
                    waker.wake();
                });
            }
            Poll::Pending
        })
    }

    #[test]
    fn wake_ups_from_other_threads_are_never_lost() {
        let rounds = if cfg!(miri) { 2 } else { 50 };
        for _ in 0..rounds {
            let finished = AtomicUsize::new(0);
            let result: Result<(), ()> = block_on(try_for_each(0..20, 4, async |_| {
                woken_from_another_thread().await;
                finished.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }));
            assert_eq!(result, Ok(()));
            assert_eq!(finished.into_inner(), 20);
        }
    }

    /// `while let Some(n) = next().await? { body(n).await? }` as the rewrite writes it: one
    /// head future for the whole loop, asked for each value through a `Port`.
    async fn while_let<T, E, N, B>(
        workers: usize,
        mut next: impl FnMut() -> N,
        body: impl Fn(T) -> B,
    ) -> Result<(), E>
    where
        N: Future<Output = Result<Option<T>, E>>,
        B: Future<Output = Result<(), E>>,
    {
        let mut port = Port::new();
        let (mut giver, taker) = port.split();
        let mut driver = Driver::with_head(taker, workers, async {
            loop {
                giver.asked().await;
                match next().await? {
                    Some(value) => giver.give(value),
                    None => break Ok(()),
                }
            }
        });
        loop {
            if let Some(item) = driver.next_item() {
                driver.start(body(item.take()));
            }
            if let Some(ended) = driver.wait().await {
                break driver.outcome(ended);
            }
        }
    }

    #[test]
    fn a_head_is_evaluated_only_when_a_slot_is_free_and_never_after_it_failed() {
        const FAIL_AT: usize = if cfg!(miri) { 4 } else { 20 };
        let evaluated = AtomicUsize::new(0);
        let running = AtomicUsize::new(0);
        let full_when_evaluated = AtomicBool::new(false);
        let result = block_on(while_let(
            3,
            || {
                if running.load(Ordering::Relaxed) >= 3 {
                    full_when_evaluated.store(true, Ordering::Relaxed);
                }
                let n = evaluated.fetch_add(1, Ordering::Relaxed);
                async move {
                    woken_from_another_thread().await;
                    if n == FAIL_AT {
                        Err(n)
                    } else {
                        Ok(Some(n))
                    }
                }
            },
            |_| {
                running.fetch_add(1, Ordering::Relaxed);
                let running = &running;
                async move {
                    woken_from_another_thread().await;
                    running.fetch_sub(1, Ordering::Relaxed);
                    Ok(())
                }
            },
        ));
        assert_eq!(result, Err(FAIL_AT));
        assert!(!full_when_evaluated.into_inner());
        assert_eq!(
            evaluated.into_inner(),
            FAIL_AT + 1,
            "not evaluated after it failed"
        );
    }

    #[test]
    fn a_port_hands_over_one_value_per_ask_and_refuses_a_second() {
        let mut port = Port::new();
        let (mut giver, mut taker) = port.split();
        let mut cx = Context::from_waker(Waker::noop());
        assert!(std::pin::pin!(giver.asked()).poll(&mut cx).is_pending());
        taker.ask();
        assert_eq!(taker.take(), None, "nothing given yet");
        assert!(std::pin::pin!(giver.asked()).poll(&mut cx).is_ready());
        giver.give(String::from("first"));
        // The taker may still be reading the first: a second value must not be written.
        let twice = catch_unwind(AssertUnwindSafe(|| giver.give(String::from("second"))));
        assert!(twice.is_err(), "a second value without an ask is refused");
        assert_eq!(taker.take().as_deref(), Some("first"));
        assert_eq!(taker.take(), None, "taken once");
    }

    #[test]
    fn a_head_that_stops_matching_ends_the_loop_once_the_iterations_finished() {
        let finished = AtomicUsize::new(0);
        let mut left = 10;
        let result: Result<(), ()> = block_on(while_let(
            4,
            || {
                left -= 1;
                std::future::ready(Ok((left >= 0).then_some(())))
            },
            |()| async {
                woken_from_another_thread().await;
                finished.fetch_add(1, Ordering::Relaxed);
                Ok(())
            },
        ));
        assert_eq!(result, Ok(()));
        assert_eq!(finished.into_inner(), 10);
        assert_eq!(left, -1, "evaluated once more, to `None`, and never after");
    }

    #[test]
    fn many_ready_iterations_yield_every_budget() {
        let polls = AtomicUsize::new(0);
        let counting = std::future::poll_fn(|cx| {
            polls.fetch_add(1, Ordering::Relaxed);
            let mut inner =
                std::pin::pin!(try_for_each(0..BUDGET * 3, 8, async |_| Ok::<(), ()>(())));
            // Poll the loop to the end through this one future, counting its returns.
            loop {
                match inner.as_mut().poll(cx) {
                    Poll::Ready(result) => return Poll::Ready(result),
                    Poll::Pending => {
                        polls.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
        assert_eq!(block_on(counting), Ok(()));
        assert!(
            polls.into_inner() >= 3,
            "3 budgets of ready iterations returned Pending at least twice"
        );
    }
}
