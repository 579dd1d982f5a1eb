//! The thread engine: runs a loop's iterations on the calling thread and pool threads, at
//! most `workers` at once, and stops at the first exit.
//!
//! - [`batch`]: how many items a worker takes at once, and how far a non-`Send` input is
//!   pulled ahead (pure arithmetic);
//! - [`source`] and [`indexed`]: where a run's items come from (a shared `Send` iterator, an
//!   input split by index, or a queue that the caller feeds);
//! - [`run`]: one run of a loop: visiting it, owning it, feeding it;
//! - [`group`]: the shared limit of a loop and of its recursive runs, and its threads;
//! - [`ending`]: first exit wins, a panic wins over any.
//!
//! Every wait goes through [`crate::wake::Signal`], whose protocol is written down there.

pub(crate) mod batch;
mod ending;
mod group;
pub(crate) mod indexed;
mod run;
mod source;

use crate::outcome::Flow;
use crate::pool::{self, Work};
use crate::stop::{Armed, StopToken, Stopped};
use crate::Loop;
pub use group::LoopSite;
pub(crate) use group::Site;
use group::{Feed, Group};
use indexed::{Indexed, IntoIndexed};
use run::{Feeder, Run};
use source::{Fed, Shared, Source};
use std::sync::Arc;

/// What a loop runs for each item, and what each thread keeps while it visits a run.
pub(crate) trait Body<T>: Sync {
    /// What one iteration returns.
    type Outcome: Flow<Exit: Send>;
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
    settings: &Loop<'_>,
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
    let items = input.into_items();
    let workers = settings.workers;
    in_group(site, workers, workers - 1, |group, _| {
        own(group, Indexed::new(items, group.workers), body, stop)
    })
}

/// Runs `body` over a `Send` input: the caller and `workers - 1` pool threads pull it.
pub(crate) fn drive_shared<I, B>(
    input: I,
    settings: &Loop<'_>,
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
    let input = input.into_iter();
    let workers = settings.workers;
    in_group(site, workers, workers - 1, |group, _| {
        let max_batch = batch::lazy_max_batch(group.workers);
        own(
            group,
            Shared::new(input, max_batch, &group.signal),
            body,
            stop,
        )
    })
}

/// Runs `body` over any input: the caller pulls it, and `workers` pool threads run the
/// iterations. Nested in an iteration of the same loop, the caller works too: it is then
/// one of the group's threads.
pub(crate) fn drive_fed<I, B>(
    input: I,
    settings: &Loop<'_>,
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
    let input = input.into_iter();
    let workers = settings.workers;
    in_group(site, workers, workers, |group, nested| {
        let max_batch = batch::lazy_max_batch(group.workers);
        let run = Run::new(
            Fed::new(group.workers, max_batch, &group.signal),
            body,
            group,
            stop,
        );
        let published = group.publish(&run);
        let mut feeder = Feeder::new(input, &run);
        published.finish(nested, Some(&mut feeder as &mut dyn Feed));
        run.drop_caught(feeder);
        run.into_outcome()
    })
}

/// Arms a loop's stop when it starts: `Err` if it is stopped already, and then nothing is
/// pulled and nothing runs.
fn arm(settings: &Loop<'_>) -> Result<Option<Armed>, Stopped> {
    let armed = Armed::new(settings.stop, settings.limit);
    match armed.as_ref().and_then(|armed| armed.token().reason()) {
        Some(stopped) => Err(stopped),
        None => Ok(armed),
    }
}

/// Publishes a run of `source` in `group` and works on it (and on the group's other runs)
/// until it has finished.
fn own<'a, S: Source, B: Body<S::Item>>(
    group: &'a Arc<Group>,
    source: S,
    body: &'a B,
    stop: Option<&'a StopToken>,
) -> Result<B::Outcome, Stopped> {
    let run = Run::new(source, body, group, stop);
    group.publish(&run).finish(true, None);
    run.into_outcome()
}

/// Calls `f` with the group of the loop at `site`, and whether the run is nested in it: the
/// enclosing group if this thread runs an iteration of that loop (recursion), else a new one
/// that may start `pool_threads` threads, which have all left when this returns.
fn in_group<R>(
    site: Site,
    workers: usize,
    pool_threads: usize,
    f: impl FnOnce(&Arc<Group>, bool) -> R,
) -> R {
    if let Some(group) = group::enclosing(site) {
        return f(&group, true);
    }
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
        f(&group, false)
    })
}

/// A pool thread's work for a group.
struct Serve(Arc<Group>);

impl Work for Serve {
    fn work(&self) {
        self.0.serve();
    }
}
