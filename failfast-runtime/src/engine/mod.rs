//! The thread engine: runs a loop's iterations on the calling thread and pool threads, at
//! most `workers` at once, and stops at the first exit.
//!
//! - [`batch`]: how many items a worker takes at once, and how far a non-`Send` input is
//!   pulled ahead (pure arithmetic);
//! - [`source`] and [`indexed`]: where a run's items come from (a shared `Send` iterator, an
//!   input split by index, or a queue that the caller feeds);
//! - [`run`]: one run of a loop: visiting it, owning it, feeding it;
//! - [`group`]: the shared limit of a loop and of its recursive runs, and its threads;
//! - [`ending`]: first exit wins, a panic wins over any;
//! - [`context`]: the caller's `tracing` span, which pool threads run a run's iterations in;
//! - [`stack`]: room on the stack for a recursion's nested runs.
//!
//! Every wait goes through [`crate::wake::Signal`], whose protocol is written down there.

pub(crate) mod batch;
mod context;
mod ending;
mod fed;
mod group;
mod hand;
mod headed;
pub(crate) mod indexed;
mod run;
mod shared;
mod source;
mod stack;

use crate::outcome::LoopStep;
use crate::pool::{self, Work};
use crate::stop::{Armed, StopToken, Stopped};
use crate::Settings;
// Under loom, the stop token's timer thread (which discards a late payload) is left out.
#[cfg_attr(loom, allow(unused_imports))]
pub(crate) use ending::{discard, keep_first, Values};
use fed::Fed;
pub use group::LoopSite;
pub(crate) use group::Site;
use group::{Feed, Group};
use headed::Headed;
use indexed::{Indexed, IntoIndexed};
pub(crate) use run::Pulled;
use run::{Feeder, HeadFeeder, Run};
use shared::Shared;
use source::Source;
use std::sync::Arc;

/// What a loop runs for each item, and what each thread keeps while it visits a run.
pub(crate) trait Body<T>: Sync {
    /// What one iteration returns.
    type Outcome: LoopStep<Exit: Send>;
    /// State a thread keeps across the iterations it runs in one visit.
    type Local;
    fn start(&self) -> Self::Local;
    fn run(&self, local: &mut Self::Local, item: T) -> Self::Outcome;
    fn finish(&self, local: Self::Local);
}

/// Runs `body` over an input split by index: the caller and `workers - 1` pool threads claim
/// index ranges.
pub(crate) fn drive_indexed<I, B>(
    input: I,
    settings: &Settings<'_>,
    site: Site,
    body: &B,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIndexed,
    I::Item: Send,
    B: Body<I::Item>,
{
    let armed = arm(settings)?;
    let stop = armed.as_ref().map(Armed::token);
    run_indexed(input, settings.workers, site, body, stop)
}

/// [`drive_indexed`] once the stop is armed. A loop with nothing that stops it calls this
/// alone: in a debug build every local of a function has a slot in its frame, and a
/// recursion has such frames on every level, within a stack that `tests/recursion_stack.rs`
/// measures.
pub(crate) fn run_indexed<I, B>(
    input: I,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIndexed,
    I::Item: Send,
    B: Body<I::Item>,
{
    let room = stack::room_for_body::<I::Item, B>();
    if stack::low(room) {
        return stack::grown(room, run_indexed::<I, B>, input, workers, site, body, stop);
    }
    let items = input.into_items();
    let Some(group) = group::enclosing(site) else {
        return first_indexed(items, workers, site, body, stop);
    };
    // One reference for every use: a build without optimisation gives each deref of the
    // `Enclosing` a slot of its own in this frame, on the stack once per level.
    let group: &Arc<Group> = &group;
    let workers = group.workers;
    let run = Run::boxed(move || Indexed::new(items, workers), body, group, stop);
    group.publish(&*run, true).finish(true, true, None);
    Run::outcome_of_boxed(run)
}

/// [`run_indexed`] outside any run of its loop. Not inlined, nor are the others' first runs:
/// the frame of `run_indexed` is on the stack once per level of a recursion, whose nested runs
/// never start here.
#[inline(never)]
fn first_indexed<X, B>(
    items: X,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    X: indexed::Items,
    X::Item: Send,
    B: Body<X::Item>,
{
    in_new_group(site, workers, workers - 1, |group| {
        let source = move || Indexed::new(items, group.workers);
        own_here(group, source, body, stop, |run| {
            group.publish(run, true).finish(true, true, None);
        })
    })
}

/// Runs `body` over a `Send` input: the caller and `workers - 1` pool threads pull it.
pub(crate) fn drive_shared<I, B>(
    input: I,
    settings: &Settings<'_>,
    site: Site,
    body: &B,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    B: Body<I::Item>,
{
    let armed = arm(settings)?;
    let stop = armed.as_ref().map(Armed::token);
    run_shared(input, settings.workers, site, body, stop)
}

/// [`drive_shared`] once the stop is armed; see [`run_indexed`].
pub(crate) fn run_shared<I, B>(
    input: I,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    B: Body<I::Item>,
{
    let input = input.into_iter();
    let room = stack::room_for_body::<I::Item, B>();
    if stack::low(room) {
        return stack::grown(
            room,
            run_shared::<I::IntoIter, B>,
            input,
            workers,
            site,
            body,
            stop,
        );
    }
    let Some(group) = group::enclosing(site) else {
        return first_shared(input, workers, site, body, stop);
    };
    // See `run_indexed`.
    let group: &Arc<Group> = &group;
    let source = move || Shared::new(input, batch::lazy_max_batch(group.workers), &group.signal);
    let run = Run::boxed(source, body, group, stop);
    group.publish(&*run, true).finish(true, true, None);
    Run::outcome_of_boxed(run)
}

/// [`run_shared`] outside any run of its loop; see [`first_indexed`].
#[inline(never)]
fn first_shared<I, B>(
    input: I,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    I: Iterator + Send,
    I::Item: Send,
    B: Body<I::Item>,
{
    in_new_group(site, workers, workers - 1, |group| {
        let source =
            move || Shared::new(input, batch::lazy_max_batch(group.workers), &group.signal);
        own_here(group, source, body, stop, |run| {
            group.publish(run, true).finish(true, true, None);
        })
    })
}

/// Runs `body` over any input: the caller pulls it, and `workers` pool threads run the
/// iterations. Nested in an iteration of the same loop, the caller works too: it is then
/// one of the group's threads.
pub(crate) fn drive_fed<I, B>(
    input: I,
    settings: &Settings<'_>,
    site: Site,
    body: &B,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    let armed = arm(settings)?;
    let stop = armed.as_ref().map(Armed::token);
    run_fed(input, settings.workers, site, body, stop)
}

/// [`drive_fed`] once the stop is armed; see [`run_indexed`].
pub(crate) fn run_fed<I, B>(
    input: I,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    I: IntoIterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    let input = input.into_iter();
    let room = stack::room_for_body::<I::Item, B>();
    if stack::low(room) {
        return stack::grown(
            room,
            run_fed::<I::IntoIter, B>,
            input,
            workers,
            site,
            body,
            stop,
        );
    }
    let Some(group) = group::enclosing(site) else {
        return first_fed(input, workers, site, body, stop);
    };
    // See `run_indexed`.
    let group: &Arc<Group> = &group;
    let source = || {
        Fed::new(
            group.workers,
            batch::fed_max_batch(group.workers),
            &group.signal,
        )
    };
    let run = Run::boxed(source, body, group, stop);
    // On the heap, as the run is: this frame is on the stack once per level.
    feed(group, true, &run, Box::new(Feeder::new(input, &run)));
    Run::outcome_of_boxed(run)
}

/// [`run_fed`] outside any run of its loop; see [`first_indexed`].
#[inline(never)]
fn first_fed<I, B>(
    input: I,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    I: Iterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    in_new_group(site, workers, workers, |group| {
        let source = || {
            Fed::new(
                group.workers,
                batch::fed_max_batch(group.workers),
                &group.signal,
            )
        };
        own_here(group, source, body, stop, |run| {
            feed(group, false, run, Feeder::new(input, run));
        })
    })
}

/// Runs `body` over the values of a `while let` loop's head: the caller evaluates `head`, one
/// value at a time and only when a thread is free to start the value (see `headed::Headed`),
/// and `workers` pool threads run the iterations. Nested in an iteration of the same loop,
/// the caller works too, as in [`drive_fed`]. Once the loop is stopped, the head is not
/// evaluated again.
pub(crate) fn drive_head<T, H, B>(
    head: H,
    settings: &Settings<'_>,
    site: Site,
    body: &B,
) -> Result<B::Outcome, Stopped>
where
    T: Send,
    H: FnMut() -> Pulled<T, <B::Outcome as LoopStep>::Exit>,
    B: Body<T>,
{
    let armed = arm(settings)?;
    let stop = armed.as_ref().map(Armed::token);
    run_head(head, settings.workers, site, body, stop)
}

/// [`drive_head`] once the stop is armed; see [`run_indexed`].
pub(crate) fn run_head<T, H, B>(
    head: H,
    workers: usize,
    site: Site,
    body: &B,
    stop: Option<&StopToken>,
) -> Result<B::Outcome, Stopped>
where
    T: Send,
    H: FnMut() -> Pulled<T, <B::Outcome as LoopStep>::Exit>,
    B: Body<T>,
{
    let room = stack::room_for_body::<T, B>();
    if stack::low(room) {
        return stack::grown(room, run_head::<T, H, B>, head, workers, site, body, stop);
    }
    let Some(group) = group::enclosing(site) else {
        return in_new_group(site, workers, workers, |group| {
            let source = || Headed::new(group);
            own_here(group, source, body, stop, |run| {
                feed(group, false, run, HeadFeeder::new(head, run, group, false));
            })
        });
    };
    // See `run_indexed`.
    let group: &Arc<Group> = &group;
    let source = || Headed::new(group);
    let run = Run::boxed(source, body, group, stop);
    feed(group, true, &run, HeadFeeder::new(head, &run, group, true));
    Run::outcome_of_boxed(run)
}

/// The owner's side of a run whose input it pulls through `feeder`: publishes the run in
/// `group`, feeds it, works on it too if `nested` (see [`drive_fed`]), and drops the input.
/// Inlined, also in a debug build: a nested run's owner would pay a frame of its own on every
/// level of a recursion.
#[inline(always)]
fn feed<S, B>(group: &Arc<Group>, nested: bool, run: &Run<'_, S, B>, mut feeder: impl Feed)
where
    S: Source,
    B: Body<S::Item>,
{
    run.fed();
    let published = group.publish(run, false);
    published.finish(nested, false, Some(&mut feeder as &mut dyn Feed));
    // Every iteration has finished: a stop from now on changes nothing, also while the input
    // (which may be slow to drop) goes.
    run.settle();
    run.drop_caught(feeder);
}

/// Arms a loop's stop when it starts: `Err` if it is stopped already, and then nothing is
/// pulled and nothing runs.
fn arm(settings: &Settings<'_>) -> Result<Option<Armed>, Stopped> {
    let armed = Armed::new(settings.stop, settings.limit);
    match armed.as_ref().and_then(|armed| armed.token().reason()) {
        Some(stopped) => Err(stopped),
        None => Ok(armed),
    }
}

/// Makes a loop's first run of what `source` makes, stopped by `stop` if given, lets `work`
/// publish it in `group` and work on it until it has finished, and returns its outcome.
///
/// The run is on the stack, which costs nothing per level. A nested run (a level of a
/// recursion, in `run_indexed` and the others) is made on the heap instead ([`Run::boxed`]):
/// every level keeps its run alive while it works on the levels below, and a run is hundreds
/// of bytes (sources are cache-line padded). Not inlined, so that a nested run's frame has
/// no room for a run.
#[inline(never)]
fn own_here<'a, S, B>(
    group: &'a Arc<Group>,
    source: impl FnOnce() -> S,
    body: &'a B,
    stop: Option<&'a StopToken>,
    work: impl FnOnce(&Run<'a, S, B>),
) -> Result<B::Outcome, Stopped>
where
    S: Source,
    B: Body<S::Item>,
{
    let run = Run::new(source(), body, group, stop);
    work(&run);
    run.into_outcome()
}

/// Calls `f` with a new group for the loop at `site`, started outside any iteration of
/// itself (else its run joins the enclosing group, see [`group::enclosing`]), which may start
/// `pool_threads` threads, all gone when this returns. Not inlined: a group and its scope are
/// large, and a recursion's nested runs, on every level, never need them.
#[inline(never)]
fn in_new_group<R>(
    site: Site,
    workers: usize,
    pool_threads: usize,
    f: impl FnOnce(&Arc<Group>) -> R,
) -> R {
    let group = Arc::new(Group::new(site, workers, pool_threads));
    let serve = Serve(Arc::clone(&group));
    pool::scope(|scope| {
        // SAFETY: `_close` closes the group before the scope's closure returns or unwinds,
        // so before the scope waits for its threads.
        unsafe { group.open(scope.spawner(&serve)) };
        struct Close<'g>(&'g Group);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                self.0.close();
            }
        }
        let _close = Close(&group);
        f(&group)
    })
}

/// A pool thread's work for a group.
struct Serve(Arc<Group>);

impl Work for Serve {
    fn work(&self) {
        self.0.serve();
    }
}
