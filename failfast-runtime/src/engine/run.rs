//! One run of a loop: its source, its body, its cancellation token and its ending; what a
//! thread does when it visits the run, and what the run's owner does until it has finished.

use super::batch::{next_batch, StepBack, MAX_BATCH};
use super::context::{Context, Here};
use super::ending::{self, Ending, Payload, Record};
use super::fed::{pull, Fed};
use super::group::{Feed, Group, Place, Visit, Visitor};
use super::headed::{Headed, Rhythm};
use super::source::{Looks, Source, FEW};
use super::Body;
use crate::cancel::{self, Token, Watch};
use crate::outcome::LoopStep;
use crate::stop::{Listening, StopToken, Stopped};
use crate::sync::{Arc, AtomicBool, Ordering};
use crate::wake::Wait;
use std::cell::UnsafeCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::{Wake, Waker};
use std::time::{Duration, Instant};

type Exit<B, T> = <<B as Body<T>>::Outcome as LoopStep>::Exit;

/// Pulling a batch from a non-`Send` input slower than this shrinks the next pull, so that a
/// slow input never keeps idle workers waiting for a batch to fill.
const SLOW_FILL: Duration = Duration::from_micros(50);

pub(crate) struct Run<'a, S: Source, B: Body<S::Item>> {
    source: S,
    body: &'a B,
    token: Arc<Token>,
    record: Record<Exit<B, S::Item>>,
    group: &'a Group,
    /// Where the run started, for the threads that visit it from elsewhere.
    context: Context,
    /// Where the run is among the runs of its thread's iterations, for the threads that visit
    /// it (see [`Place`]).
    place: Place,
    /// Whether a visit may hold the input alone ([`Source::alone`]): not in a recursion's
    /// nested run. Its items are a level of the recursion, rarely tiny, and a holder keeps
    /// the level's other items from the other workers until it looks again, after the item
    /// (and all levels below it) finished; holding would also cost every level the stack of
    /// the holder's frames.
    may_hold: bool,
    /// The run's stop token, if it has one, and the run's waker in it (none if the token was
    /// stopped before the run began).
    stop: Option<(&'a StopToken, Option<Listening>)>,
    /// Whether the run's owner may still pull input into it (a fed run, until its input
    /// ended): the run's source may be empty without the input being exhausted. Read and
    /// written under its group's lock only.
    feeding: AtomicBool,
    /// The stop token's deadline when no timer thread watches it (the OS refused one): the
    /// run's threads stop the token themselves once it has passed.
    deadline: Option<Instant>,
    /// What the owner's visits keep between claims (see [`Run::take_and_run`]).
    owner_kept: OwnerKept<S::Hand>,
    /// A loop this run is nested in was cancelled before the run's outcome settled with
    /// nothing of its own ending it (see [`Run::settled_now`]): the run may have skipped
    /// items, and leaves with [`ending::CutShort`] rather than succeed.
    cut: AtomicBool,
}

/// Runs the items of a claim (`$claimed`) in `$run`, until it has no more or the run is
/// cancelled: `$running`, how they went (the payload if one panicked), and `$ran`, how many
/// started. Written once for the two places in `Run`, not as a function: one more call would
/// be one more frame (or, inlined in a debug build, more slots in the caller's), on the stack
/// once per level of a recursion.
macro_rules! run_items {
    ($run:expr, $local:ident, $visiting:ident, $claimed:ident, $running:ident, $ran:ident) => {
        let watch = $run.token.watch();
        $visiting.claim_begins();
        let mut $ran = 0;
        // One `catch_unwind` per claim, not per item: a panicking iteration ends the run, and
        // the claim's other items are dropped unstarted, as they would be after any ending.
        let $running = catching(&mut || loop {
            // Checked before each item: once the run is cancelled, at most the items already
            // past this check start (one per other thread).
            if watch.is_cancelled() {
                break;
            }
            let Some(item) = $claimed.next() else {
                break;
            };
            $ran += 1;
            if let Some(exit) = $run.body.run($local, item).into_exit() {
                $run.end(Ending::Exit(exit));
            }
        });
    };
}

impl<'a, S: Source, B: Body<S::Item>> Run<'a, S, B> {
    /// A run of `body` over `source`, nested in the iteration this thread runs, if any, and
    /// stopped by `stop`, if given: a token that is stopped already cancels the run before
    /// anything is taken.
    pub(crate) fn new(
        source: S,
        body: &'a B,
        group: &'a std::sync::Arc<Group>,
        stop: Option<&'a StopToken>,
    ) -> Self {
        let deadline = stop.and_then(StopToken::unwatched_deadline);
        let token = Token::for_new_loop(deadline);
        let stop = stop.map(|stop| {
            let hook = StopRun {
                token: Arc::clone(&token),
                group: std::sync::Arc::clone(group),
            };
            let listening = stop.listen(Waker::from(std::sync::Arc::new(hook)));
            if listening.is_err() {
                token.stop();
            }
            (stop, listening.ok())
        });
        Run {
            source,
            body,
            token,
            record: Record::new(),
            group,
            context: Context::capture(),
            place: Place::here(group),
            may_hold: true,
            stop,
            feeding: AtomicBool::new(false),
            deadline,
            owner_kept: OwnerKept(UnsafeCell::new(None)),
            cut: AtomicBool::new(false),
        }
    }

    /// The run's owner pulls its input into the run: until it says the input ended, an empty
    /// source does not mean that the run has finished. Called before the run is published.
    pub(crate) fn fed(&self) {
        self.feeding.store(true, Ordering::Relaxed);
    }

    /// [`Run::new`] on the heap, the source made there too: see `engine::own`. Not inlined,
    /// so that the run is never in its caller's frame. It is a recursion's nested run: see
    /// `may_hold`.
    #[inline(never)]
    pub(crate) fn boxed(
        source: impl FnOnce() -> S,
        body: &'a B,
        group: &'a std::sync::Arc<Group>,
        stop: Option<&'a StopToken>,
    ) -> Box<Self> {
        Box::new(Run {
            may_hold: false,
            ..Run::new(source(), body, group, stop)
        })
    }

    /// [`Run::into_outcome`] of a boxed run; not inlined, for the same reason. It takes the
    /// box: unboxed by its caller, the run would be in the caller's frame again.
    #[inline(never)]
    #[allow(clippy::boxed_local)]
    pub(crate) fn outcome_of_boxed(run: Box<Self>) -> Result<B::Outcome, Stopped> {
        (*run).into_outcome()
    }

    /// Records how the run ended (unless it already had), cancels it, and wakes its waiters.
    /// A loop nested in one of its iterations that this run's cancellation cut short ends
    /// nothing: see [`ending::swallowed`].
    fn end(&self, ending: Ending<Exit<B, S::Item>>) {
        if let Ending::Panic(payload) = &ending {
            if ending::swallowed(payload, &self.token) {
                // Swallowed for this run's unwatched deadline, perhaps: the run stops there.
                self.time_out_if_due();
                return;
            }
        }
        // A stop already visible in the stop token reaches this run's token only when the
        // stopper works through the token's waker list: an exit it caused (an iteration that
        // saw the token stopped and failed) must not win over it meanwhile.
        if matches!(ending, Ending::Exit(_)) && self.deadline.is_some() {
            self.time_out_if_due();
        }
        if matches!(ending, Ending::Exit(_))
            && self
                .stop
                .as_ref()
                .is_some_and(|(stop, _)| stop.is_stopped())
        {
            self.token.stop();
        }
        self.record.record(ending, &self.token);
        self.group.signal.notify();
    }

    /// Stops the run's token if its unwatched deadline has passed; see [`Run::deadline`].
    #[cold]
    #[inline(never)]
    fn time_out_if_due(&self) {
        if let (Some(deadline), Some((stop, _))) = (self.deadline, &self.stop) {
            if Instant::now() >= deadline {
                stop.time_out();
            }
        }
    }

    /// Every iteration has finished (the run is off its group's list): a stop from outside no
    /// longer changes how the run ended. [`into_outcome`](Self::into_outcome) does the same;
    /// an owner calls this first when it still has its input to drop.
    pub(crate) fn settle(&self) {
        let _ = self.finish_token();
    }

    /// Settles the run's outcome if nothing has ([`Token::settle`]): whether a stop from
    /// outside came first.
    fn finish_token(&self) -> bool {
        let settled = self.token.settle();
        self.settled_now(settled);
        !settled && self.token.was_stopped()
    }

    /// Notes, as the run's outcome settles with nothing of its own ending it (`settled`),
    /// whether a loop it runs in was cancelled by then: a cancellation that comes later (while
    /// the owner drops its input, say) finds the run's items all run, and does not cut it
    /// short. Read only on this path, not on every run's end: the chain is walked when the
    /// tree counted a cancellation since, which each level of a recursion that fails through
    /// `?` does.
    fn settled_now(&self, settled: bool) {
        if settled && self.token.watch().outer_cancelled() {
            self.cut.store(true, Ordering::Relaxed);
        }
    }

    /// Drops `value` (what the run's owner kept of its input), catching a panicking `Drop`:
    /// it ends the run like any panic, and loses to one recorded before it.
    pub(crate) fn drop_caught<T>(&self, value: T) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(value))) {
            if !ending::swallowed(&payload, &self.token) {
                self.record.record_late_panic(payload);
            }
        }
    }

    /// The run's result, once no thread visits it: drops what was never started, then
    /// returns the first exit, or the stop from outside that came before any, or resumes the
    /// first panic.
    pub(crate) fn into_outcome(self) -> Result<B::Outcome, Stopped> {
        // From here on, a stop changes nothing: every iteration has finished.
        let stopped = self.finish_token();
        // Written under the group's lock, or by this thread: both ordered before this.
        let cut = self.cut.load(Ordering::Relaxed);
        let Run {
            source,
            record,
            stop,
            token,
            ..
        } = self;
        let stop = stop.map(|(stop, listening)| {
            drop(listening);
            stop
        });
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(source))) {
            // A panic dropping a leftover item ends the loop like any other panic; it loses
            // only to a panic recorded before it.
            if !ending::swallowed(&payload, &token) {
                record.record_late_panic(payload);
            }
        }
        let stopped = stopped.then(|| {
            stop.and_then(StopToken::reason)
                .expect("a run is stopped only when its stop token is")
        });
        record.into_outcome(stopped, cut)
    }
}

/// A run's waker in its stop token: cancels the run, as an exit would, and wakes the threads
/// of its group (idle pool threads, the owner, a recursion's waiting iterations), which find
/// the run cancelled.
struct StopRun {
    token: Arc<Token>,
    group: std::sync::Arc<Group>,
}

impl Wake for StopRun {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.token.stop();
        self.group.signal.notify();
    }
}

impl<S: Source, B: Body<S::Item>> Visit for Run<'_, S, B> {
    fn item_room(&self) -> usize {
        super::stack::room_for_body::<S::Item, B>()
    }

    fn has_work(&self) -> bool {
        // Not `&& !cancelled`: a run cancelled from outside (an enclosing loop's failure)
        // signals nobody in this group, so a thread must still visit it, see the
        // cancellation, close the source and leave, which wakes the run's owner.
        self.source.has_work()
    }

    fn visit(&self, visitor: &Visitor<'_>) {
        if visitor.owner.is_some() && !visitor.helping() {
            // SAFETY: only the run's owner visits it with such a visitor (from
            // `Published::finish`, for its own run), and one visit at a time: nothing else
            // reaches `owner_kept`.
            let kept = unsafe { &mut *self.owner_kept.0.get() };
            self.take_and_run(visitor, kept);
        } else {
            self.visit_elsewhere(visitor);
        }
    }

    fn close(&self) {
        self.source.close();
    }

    fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    fn held_alone(&self) -> bool {
        self.source.held_alone()
    }

    fn context(&self) -> &Context {
        &self.context
    }

    fn place(&self) -> &Place {
        &self.place
    }

    fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    fn time_out_if_due(&self) {
        Run::time_out_if_due(self);
    }

    fn panicked(&self, payload: Payload) {
        self.end(Ending::Panic(payload));
        // As a visit that sees the run cancelled does: else a visit that panics again on
        // entering never reaches the items, which stay for the next visit to pick, forever.
        self.source.close();
    }

    fn input_ended(&self) -> bool {
        self.feeding.swap(false, Ordering::Relaxed)
    }

    fn over(&self) -> bool {
        // Not "or cancelled": an owner that began a pull before the cancellation still
        // pushes what it pulled (a thread that left on seeing the run cancelled and empty
        // then left those items to nobody, which loom found); it says when it has stopped.
        !self.source.has_work() && !self.feeding.load(Ordering::Relaxed)
    }

    fn settle_if_finished(&self) -> bool {
        let settled =
            !self.feeding.load(Ordering::Relaxed) && !self.source.has_work() && self.token.settle();
        self.settled_now(settled);
        settled
    }
}

impl<S: Source, B: Body<S::Item>> Run<'_, S, B> {
    /// A visit: claims items and runs them until none are left, the run is cancelled, or
    /// a helping `visitor` is [called back](Visitor::called_back).
    ///
    /// It never unwinds into the group: whatever unwinds in it (a destructor of items dropped
    /// unstarted, say) ends the run like a panic of an iteration. Caught where it may happen,
    /// each step on its own, not around the whole visit: a visit's frames are on the stack
    /// while its items run, once per level of a recursion, and a debug build's `catch_unwind`
    /// is six frames.
    ///
    /// Its iterations run one call further down (`run_alone`, `run_claimed`), and a
    /// recursion's next level runs inside one of them: deciding what to do next is in a
    /// function of its own ([`next`](Self::next)), so that each level keeps only the visit's
    /// state and this loop on the stack.
    ///
    /// What the visit keeps between claims is in `kept`, passed on by reference: in a debug
    /// build every argument of every call has a slot of its own in this frame. The owner's
    /// visits keep it in the run (see [`Visit::visit`]), which a recursion's nested run has on
    /// the heap, not in this frame. Inlined, also in a debug build, into [`Visit::visit`]:
    /// the owner's visits run it there, with no frame of their own.
    #[inline(always)]
    fn take_and_run(&self, visitor: &Visitor<'_>, kept: &mut Option<Kept<S::Hand>>) {
        let _current = cancel::enter(&self.token);
        let body = self.body;
        let Some(mut local) = self.caught(|| body.start()) else {
            return;
        };
        let Kept { visiting, hand } = Kept::start(kept, self, visitor);
        let taking = Taking::join(&self.source);
        loop {
            // The claim, if any, goes into a slot that `run_claimed` takes it from, rather than
            // out of `Next` by value: a debug build gives a value moved into a call a slot of
            // its own, in this frame, for each move.
            let mut claim = None;
            match self.next(visiting, hand, visitor, &mut claim) {
                Next::Alone => {
                    if !self.run_alone(&mut local, visiting) {
                        break;
                    }
                }
                Next::Claimed => self.run_claimed(&mut local, &mut claim, visiting),
                Next::Again => {}
                Next::Over => break,
            }
        }
        self.leave_visit(local, hand, taking);
    }

    /// A visit by a thread other than the run's owner, or by the owner helping another run:
    /// what it keeps is on its own stack.
    #[inline(never)]
    fn visit_elsewhere(&self, visitor: &Visitor<'_>) {
        let mut kept = None;
        self.take_and_run(visitor, &mut kept);
    }

    /// The end of a visit: drops what it kept, and gives the body's state back. Not inlined,
    /// for the reason [`next`](Self::next) is not.
    #[inline(never)]
    fn leave_visit(&self, local: B::Local, hand: &mut S::Hand, taking: Taking<'_, S>) {
        let body = self.body;
        let hand = std::mem::take(hand);
        self.caught(move || {
            self.source.put_back(hand);
            drop(taking);
            body.finish(local);
        });
    }

    /// Runs `f`; if it unwinds, ends the run like a panicking iteration, and `None`.
    fn caught<R>(&self, f: impl FnOnce() -> R) -> Option<R> {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(value) => Some(value),
            Err(payload) => {
                self.end(Ending::Panic(payload));
                None
            }
        }
    }

    /// What a visit does next: hold the input alone, run a claim, look again, or end.
    /// `tried_alone` if it just held the input (and the run goes on): it claims now. What
    /// unwinds is caught here, not in the visit's frame, which is on the stack while the
    /// items run.
    #[inline(never)]
    fn next<'b>(
        &'b self,
        visiting: &mut Visiting,
        hand: &'b mut S::Hand,
        visitor: &Visitor<'_>,
        claim: &mut Option<S::Claimed<'b>>,
    ) -> Next {
        let Visiting {
            pace, tried_alone, ..
        } = visiting;
        let watch = self.token.watch();
        let next = self
            .caught(|| {
                if self.deadline.is_some() {
                    self.time_out_if_due();
                }
                if watch.is_cancelled() {
                    self.source.close();
                    return Next::Over;
                }
                if visitor.called_back() {
                    return Next::Over;
                }
                // Items known to be fast, and nobody else taking: hold the input alone (a
                // visit that may have to stop early never holds it). Nor does a run whose
                // deadline no timer watches: its worker looks at the clock between claims.
                if S::HOLDS
                    && self.may_hold
                    && !self.token.has_deadline()
                    && !*tried_alone
                    && !visitor.helping()
                    && pace.batch == pace.max_batch
                    && (pace.max_batch == 1 || pace.full_claims >= CLAIMS_BEFORE_HOLDING)
                {
                    return Next::Alone;
                }
                // A deadline that no timer watches is read too, as above: once it has passed,
                // nothing more is pulled.
                let ended = || {
                    if self.deadline.is_some() {
                        self.time_out_if_due();
                    }
                    watch.is_cancelled()
                };
                match self.source.claim(pace.batch, hand, ended) {
                    Ok(Some(claimed)) => {
                        *claim = Some(claimed);
                        Next::Claimed
                    }
                    Ok(None) if !visitor.helping() && self.source.held_alone() => {
                        // The holder lets go within a few items. If they are long, the group
                        // may have other runs to help with meanwhile (a recursion's inner
                        // runs).
                        if !self.wait_for_holder(&watch, visitor.owner) {
                            return Next::Over;
                        }
                        pace.last = Some(Instant::now());
                        Next::Again
                    }
                    Ok(None) => {
                        // A claim that found the run ended closes the source, as the check
                        // above does, so that no other visit comes for items.
                        if watch.is_cancelled() {
                            self.source.close();
                        }
                        Next::Over
                    }
                    Err(payload) => {
                        self.end(Ending::Panic(payload));
                        Next::Over
                    }
                }
            })
            .unwrap_or(Next::Over);
        // Having just held the input (and the run goes on), the visit claims next.
        *tried_alone = matches!(next, Next::Alone);
        next
    }

    /// Runs items while this thread holds the input alone (see [`Source::alone`]); whether
    /// the visit goes on. Not inlined, nor is [`Self::run_claimed`]: inlined, the two would
    /// share one frame, on the stack whichever of them runs.
    #[inline(never)]
    fn run_alone(&self, local: &mut B::Local, visiting: &mut Visiting) -> bool {
        let watch = self.token.watch();
        self.caught(|| self.hold(local, &mut visiting.pace, watch)) == Some(true)
    }

    /// See [`run_alone`](Self::run_alone).
    fn hold(&self, local: &mut B::Local, pace: &mut Pace, watch: Watch<'_>) -> bool {
        let body = self.body;
        let mut took = false;
        // Taken alone, only this thread's iterations can end the run (but for a stop from
        // outside): the loop's own cancellation is `each` returning `false`, and only an
        // enclosing loop's (or the stop's) is read before each item.
        let each = |item| {
            took = true;
            let exit = body.run(local, item).into_exit();
            let go_on = exit.is_none();
            if let Some(exit) = exit {
                self.end(Ending::Exit(exit));
            }
            go_on
        };
        // A run with a stop token can also be cancelled from outside at any moment: then its
        // own flag is read too, before each item, or before every few if the run has the
        // workers to let them race (see `FEW`). Each case has its own check, chosen once
        // here: the compiler does not hoist a test of which to read out of the loop, and a
        // run with a stop token read twice as many words per item as it needs.
        let stoppable = self.stop.is_some();
        let few = self.group.workers > FEW && !self.group.recursed();
        let ran = match (stoppable, watch.nested()) {
            (false, false) => self.source.alone(Looks::<fn() -> bool>::Never, each),
            (true, false) if few => self.source.alone(
                Looks::EveryFew(move || !watch.own_cancelled(), self.group.recursion()),
                each,
            ),
            (true, false) => self
                .source
                .alone(Looks::EachItem(move || !watch.own_cancelled()), each),
            (true, true) => self
                .source
                .alone(Looks::EachItem(move || !watch.is_cancelled()), each),
            (false, true) => self
                .source
                .alone(Looks::EachItem(move || !watch.outer_cancelled()), each),
        };
        match ran {
            Ok(true) => false,
            Ok(false) => {
                if took {
                    // Another worker joined. Batches grow again from one item: the hold's
                    // average would hide items that only just turned slow, and a batch of
                    // them would keep the worker that joined waiting.
                    pace.restart();
                }
                true
            }
            Err(payload) => {
                self.end(Ending::Panic(payload));
                false
            }
        }
    }

    /// Runs the items of the claim that [`next`](Self::next) put in `claim`, and sizes the
    /// next by how long they took.
    #[cfg_attr(debug_assertions, inline(never))]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn run_claimed(
        &self,
        local: &mut B::Local,
        claim: &mut Option<S::Claimed<'_>>,
        visiting: &mut Visiting,
    ) {
        // Optimised, for the sources that want it (see `Source::CLAIM_IN_REGISTERS`), and
        // where claims may hold more than one item: from a copy of the claim in registers.
        // In a frame of its own, which is on the stack only while such a claim runs: a
        // recursion's levels claim one item at a time, and its frame would hold the copy's
        // room once per level.
        #[cfg(not(debug_assertions))]
        if S::CLAIM_IN_REGISTERS && visiting.pace.max_batch > 1 {
            self.run_claimed_in_registers(local, claim, visiting);
            return;
        }
        let Some(claimed) = claim.as_mut() else {
            return;
        };
        run_items!(self, local, visiting, claimed, running, ran);
        self.drop_claimed(running, claim);
        self.paced(visiting, ran);
    }

    /// [`run_claimed`](Self::run_claimed) from a local copy of the claim, not the caller's
    /// behind a pointer: a body whose effects the compiler cannot see (any call) would
    /// otherwise make it store and reload the claim's position at every item.
    #[cfg(not(debug_assertions))]
    #[inline(never)]
    fn run_claimed_in_registers(
        &self,
        local: &mut B::Local,
        claim: &mut Option<S::Claimed<'_>>,
        visiting: &mut Visiting,
    ) {
        let Some(mut owned) = claim.take() else {
            return;
        };
        run_items!(self, local, visiting, owned, running, ran);
        *claim = Some(owned);
        self.drop_claimed(running, claim);
        self.paced(visiting, ran);
    }

    /// After the items of a claim: ends the run if one of them panicked (how the claim went,
    /// `running`), and drops those not started. Not inlined: the frame of
    /// [`run_claimed`](Self::run_claimed) is on the stack while its items run, once per level
    /// of a recursion, and would hold the room this takes.
    #[inline(never)]
    fn drop_claimed(&self, running: Result<(), Payload>, claim: &mut Option<S::Claimed<'_>>) {
        if let Err(payload) = running {
            self.end(Ending::Panic(payload));
        }
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(claim.take()))) {
            self.end(Ending::Panic(payload));
        }
    }

    /// After a claim that started `ran` items, if it was timed (see
    /// [`Visiting::claim_begins`]): sizes the next batch, and steps back from a lazy input
    /// whose claims cost more than their items. Not inlined, and caught here: the frame of
    /// [`run_claimed`](Self::run_claimed) is on the stack while its items run, once per level
    /// of a recursion.
    #[inline(never)]
    fn paced(&self, visiting: &mut Visiting, ran: usize) {
        if let Some(began) = visiting.began {
            let watch = self.token.watch();
            self.caught(|| self.pace(&mut visiting.pace, began, ran, &watch));
        }
    }

    /// See [`paced`](Self::paced).
    fn pace(&self, pace: &mut Pace, began: Instant, ran: usize, watch: &Watch<'_>) {
        let now = Instant::now();
        let ran_for = now - began;
        self.source.finished(ran, ran_for);
        // Under loom no decision depends on the clock (see `next_batch`).
        let dear = !cfg!(loom)
            && pace.batch == pace.max_batch
            && pace.step_back.claimed(
                pace.last
                    .map_or(Duration::ZERO, |last| began.saturating_duration_since(last)),
                // What the items cost to run: a holder would not pay for taking them.
                ran_for.saturating_sub(S::TAKING_AN_ITEM * u32::try_from(ran).unwrap_or(u32::MAX)),
            );
        // In a row: a claim that the input's end or another worker cut short proves nothing.
        pace.full_claims = if pace.batch == pace.max_batch && ran >= pace.batch {
            pace.full_claims.saturating_add(1)
        } else {
            0
        };
        pace.batch = next_batch(pace.batch, ran, ran_for, pace.max_batch);
        pace.last = Some(now);
        if S::HOLDS && self.group.refused_every_thread() {
            // The OS refused every pool thread of the group: its runs' visits take a lazy
            // input one item at a time (or hold it alone), as a run of one worker does. An
            // item left in this worker's hand while it pulls the next would wait for ever for
            // an input whose `next()` waits until the item before it has run (a
            // request/response channel). An index-split input's claims keep their batches.
            *pace = Pace::new(1);
            return;
        }
        if dear && self.source.step_back() {
            let go_on = self.stay_back(&mut pace.step_back, pace.max_batch, watch);
            self.source.join();
            if go_on {
                // The items may have turned slow meanwhile: batches grow again.
                pace.restart();
            }
        }
    }

    /// A worker that stepped back sleeps for a pause, and again while the worker holding the
    /// input alone keeps a pace at which sharing would not pay (see [`StepBack::join_again`]);
    /// `false` if the input runs out or the run is cancelled first (the thread that ends the
    /// run signals the group). Asleep, without spinning first, it leaves its core to the
    /// holder (the kernel may well have put both on one core: a worker that mostly sleeps
    /// looks like a light thread), and looking at the holder's pace disturbs it less than
    /// joining would.
    fn stay_back(&self, step_back: &mut StepBack, batch: usize, watch: &Watch<'_>) -> bool {
        step_back.stepped_back(self.source.held_items());
        loop {
            let pause = step_back.pause();
            let began = Instant::now();
            if self.wait_on_group(Wait::Sleep, pause, || self.over(watch)) {
                return false;
            }
            if step_back.join_again(self.source.held_items(), began.elapsed(), batch) {
                return true;
            }
        }
    }

    /// Waits for the worker holding the input alone to let go, which it does before its next
    /// item after this worker joined; `false` if the visit should end instead: the input ran
    /// out or the run was cancelled, or another run of the group has items (the recursion's
    /// inner runs) while the holder is in a long item, which may be that very recursion. For the run's `owner`, only a run it may help counts
    /// (see `Group::other_work`).
    ///
    /// A wait, not a poll: the holder notifies when it lets go, and so does every change
    /// that gives another run items. (A timed wait here, ended to look for other work and
    /// begun again at once, kept idle pool threads polling a holder that a recursion held
    /// up, a core's worth of CPU.)
    #[inline(never)]
    fn wait_for_holder(&self, watch: &Watch<'_>, owner: Option<&Here>) -> bool {
        let this: *const Self = self;
        self.group.signal.wait_for(|| {
            if !self.source.held_alone() || self.over(watch) {
                return Some(!self.source.held_alone());
            }
            self.group.other_work(this.cast(), owner).then_some(false)
        })
    }

    /// Nothing is left for this visit to do: the input ran out, or the run was cancelled.
    fn over(&self, watch: &Watch<'_>) -> bool {
        !self.source.has_work() || watch.is_cancelled()
    }

    /// Waits on the group's signal until `ready()`, for at most about `timeout`; whether
    /// `ready()` held. Under loom, where a wait has no deadline, it yields until `ready()`.
    fn wait_on_group(&self, wait: Wait, timeout: Duration, ready: impl Fn() -> bool) -> bool {
        #[cfg(not(loom))]
        return self
            .group
            .signal
            .wait_for_timeout(wait, timeout, || ready().then_some(()))
            .is_some();
        #[cfg(loom)]
        {
            let _ = (wait, timeout);
            while !ready() {
                loom::thread::yield_now();
            }
            true
        }
    }
}

/// `catch_unwind` of `f`, around the items of a claim, on the stack while they run (once per
/// level of a recursion). Given by reference: the standard library's frames around the call
/// are as large as what they are given, in a debug build, and a reference is one word (a
/// `&mut dyn FnMut` is two, and its call adds a frame). Optimised, they all inline into the
/// caller's frame.
#[inline(always)]
fn catching(f: &mut impl FnMut()) -> Result<(), Payload> {
    catch_unwind(AssertUnwindSafe(f))
}

/// See [`Run::next`].
enum Next {
    Alone,
    /// Claimed items: `next`'s `claim` holds them.
    Claimed,
    Again,
    Over,
}

/// What a visit keeps between its claims (see [`Run::take_and_run`]).
struct Kept<H> {
    visiting: Visiting,
    /// Where the source puts a claim's items (see [`Source::Hand`]); empty between visits.
    hand: H,
}

/// See [`Kept`].
struct Visiting {
    pace: Pace,
    /// When the current claim's items began, if they are timed (see
    /// [`claim_begins`](Self::claim_begins)).
    began: Option<Instant>,
    /// Whether the visit just held the input alone (and the run goes on): it claims next.
    tried_alone: bool,
}

impl<H: Default> Kept<H> {
    /// What a visit of `run` by `visitor` starts with, in `slot`. Not inlined: a visit's frame
    /// is on the stack while its items run, once per level of a recursion, and would hold
    /// this one's temporaries.
    #[inline(never)]
    fn start<'k, S: Source<Hand = H>, B: Body<S::Item>>(
        slot: &'k mut Option<Kept<H>>,
        run: &Run<'_, S, B>,
        visitor: &Visitor<'_>,
    ) -> &'k mut Kept<H> {
        let visiting = Visiting {
            // Claimed items must run: a visit that may have to stop early claims one at a
            // time.
            pace: Pace::new(if visitor.helping() {
                1
            } else {
                run.source.max_batch()
            }),
            began: None,
            tried_alone: false,
        };
        match slot {
            Some(kept) => {
                kept.visiting = visiting;
                kept
            }
            None => slot.insert(Kept {
                visiting,
                hand: H::default(),
            }),
        }
    }
}

impl Visiting {
    /// A claim's items begin. Timed only to size the next batch, which one item at a time does
    /// not need. Not inlined in a debug build: [`Run::run_claimed`]'s frame is on the stack
    /// while the claim's items run, once per level of a recursion, and would hold this one's
    /// temporaries.
    #[cfg_attr(debug_assertions, inline(never))]
    fn claim_begins(&mut self) {
        self.began = (self.pace.max_batch > 1).then(Instant::now);
    }
}

/// The owner's [`Kept`], in its run.
struct OwnerKept<H>(UnsafeCell<Option<Kept<H>>>);

// SAFETY: only the run's owner thread reaches the cell (see `Visit::visit`), and the run is
// made and dropped on that thread too: the other threads that share the run never touch what
// it holds.
unsafe impl<H> Sync for OwnerKept<H> {}

/// How a visit sizes its claims.
struct Pace {
    batch: usize,
    max_batch: usize,
    step_back: StepBack,
    /// When the last claim's items finished: the next claim's taking starts there. Not read
    /// while batches cannot grow (`max_batch` 1): no clock is read then.
    last: Option<Instant>,
    /// Claims of the largest batch in a row (see [`CLAIMS_BEFORE_HOLDING`]).
    full_claims: u32,
}

/// A visit holds the input alone only after this many claims of the largest batch in a row
/// (with one worker, at once: no iteration can wait for another to start). An item that
/// waits for another item of the loop to start (at a `Barrier`) waits for ever when its worker
/// holds the input alone: the rest of the input is in that worker's frame only (see
/// `shared::Shared`). So holding waits for more evidence that the items are tiny than the 63
/// items after which batches reach their largest: an owner alone at the start, before its
/// pool threads arrive, held the input after 63 items (a test's 64 instant items, then items
/// meeting at a `Barrier`). Under loom, models have a handful of items: one (a batch of 2).
const CLAIMS_BEFORE_HOLDING: u32 = if cfg!(loom) { 1 } else { 4 };

impl Pace {
    fn new(max_batch: usize) -> Pace {
        Pace {
            batch: 1,
            max_batch,
            step_back: StepBack::new(),
            last: (max_batch > 1).then(Instant::now),
            full_claims: 0,
        }
    }

    /// Batches grow again from one item (after a hold another worker ended, or a pause), and
    /// prove anew that the items are tiny.
    fn restart(&mut self) {
        self.batch = 1;
        self.last = Some(Instant::now());
        self.full_claims = 0;
    }
}

/// Counts a worker among a source's takers for as long as it visits.
struct Taking<'s, S: Source>(&'s S);

impl<'s, S: Source> Taking<'s, S> {
    fn join(source: &'s S) -> Self {
        source.join();
        Taking(source)
    }
}

impl<S: Source> Drop for Taking<'_, S> {
    fn drop(&mut self) {
        self.0.leave();
    }
}

/// The owner's pulling of a non-`Send` input into a [`Fed`] run.
pub(crate) struct Feeder<'r, 'w, I, B>
where
    I: Iterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    input: I,
    run: &'r Run<'r, Fed<'w, I::Item>, B>,
    /// At most this many items per pull: halved when a pull is slow, doubled when it is not.
    fill_limit: usize,
    ended: bool,
    /// The OS refused every pool thread: the owner runs what it pulled before it pulls more
    /// (the next `next()` may wait for it).
    alone: bool,
}

impl<'r, 'w, I, B> Feeder<'r, 'w, I, B>
where
    I: Iterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    pub(crate) fn new(input: I, run: &'r Run<'r, Fed<'w, I::Item>, B>) -> Self {
        Feeder {
            input,
            run,
            fill_limit: MAX_BATCH,
            ended: false,
            alone: false,
        }
    }
}

impl<I, B> Feed for Feeder<'_, '_, I, B>
where
    I: Iterator,
    I::Item: Send,
    B: Body<I::Item>,
{
    fn room(&self) -> usize {
        if self.ended() || self.alone && self.run.source.has_work() {
            return 0;
        }
        self.run.source.room()
    }

    fn ended(&self) -> bool {
        self.ended || self.run.token.is_cancelled()
    }

    fn pull(&mut self, room: usize, queued_first: &dyn Fn() -> bool) {
        let want = room.min(self.fill_limit);
        // Under loom a run must replay exactly: no decision may depend on the clock.
        let filling = (want > 1 && !cfg!(loom)).then(Instant::now);
        let (token, source, alone) = (&self.run.token, &self.run.source, &mut self.alone);
        let pulled = pull(
            &mut self.input,
            want,
            || token.is_cancelled(),
            |item| {
                if source.stage(item) {
                    *alone = !queued_first();
                }
                !*alone
            },
        );
        match pulled {
            Ok(ended) => self.ended |= ended,
            Err(payload) => {
                // `next()`'s panic ends the run first: the items pulled before it that no
                // worker took meanwhile are queued once it is cancelled, and dropped unstarted.
                self.ended = true;
                self.run.end(Ending::Panic(payload));
                source.push_staged();
                return;
            }
        }
        source.push_staged();
        if let Some(filling) = filling {
            self.fill_limit = if filling.elapsed() > SLOW_FILL {
                (want / 2).max(1)
            } else {
                (self.fill_limit * 2).min(MAX_BATCH)
            };
        }
    }
}

/// One evaluation of a `while let` loop's head: the next value, the end of the input (the
/// value did not match), or an exit (a failure or `return` in the head).
pub(crate) enum Pulled<T, X> {
    Value(T),
    End,
    Exit(X),
}

/// The owner's evaluating of a `while let` loop's head into a [`Headed`] run: one evaluation
/// per value that a thread is free to start at once (see [`Headed`]), on the owner's thread,
/// never after the run has ended.
pub(crate) struct HeadFeeder<'r, 'w, H, T, B>
where
    T: Send,
    B: Body<T>,
{
    head: H,
    run: &'r Run<'r, Headed<'w, T>, B>,
    group: &'r std::sync::Arc<Group>,
    /// The owner runs a value itself when no pool thread is free: a recursion's level, whose
    /// owner is one of the group's threads.
    nested: bool,
    ended: bool,
    /// When a pool thread is expected to be free; not kept by a recursion's level, which
    /// works rather than waits (boxed: the feeder is in that level's frame).
    rhythm: Option<Box<Rhythm>>,
}

impl<'r, 'w, H, T, B> HeadFeeder<'r, 'w, H, T, B>
where
    H: FnMut() -> Pulled<T, Exit<B, T>>,
    T: Send,
    B: Body<T>,
{
    pub(crate) fn new(
        head: H,
        run: &'r Run<'r, Headed<'w, T>, B>,
        group: &'r std::sync::Arc<Group>,
        nested: bool,
    ) -> Self {
        HeadFeeder {
            head,
            run,
            group,
            nested,
            ended: false,
            rhythm: (!nested).then(|| Box::new(Rhythm::new(group.workers))),
        }
    }

    /// Whether the owner runs values itself when no pool thread is free: in a recursion, or
    /// when the OS refused every pool thread.
    fn owner_works(&self) -> bool {
        self.nested || self.group.no_pool_thread()
    }
}

impl<H, T, B> Feed for HeadFeeder<'_, '_, H, T, B>
where
    H: FnMut() -> Pulled<T, Exit<B, T>>,
    T: Send,
    B: Body<T>,
{
    fn room(&self) -> usize {
        if self.ended() {
            return 0;
        }
        usize::from(self.group.has_free_thread() || self.owner_works())
    }

    fn ended(&self) -> bool {
        if self.run.deadline.is_some() {
            self.run.time_out_if_due();
        }
        self.ended || self.run.token.is_cancelled() || self.run.token.past_deadline()
    }

    fn rhythm(&self) -> Option<&Rhythm> {
        self.rhythm.as_deref()
    }

    /// One evaluation, for a pool thread that the group promises to start its value, or for
    /// the owner to run itself; none if neither is free any more.
    fn pull(&mut self, _room: usize, _queued_first: &dyn Fn() -> bool) {
        // The run may have ended since the room was read: the head is not evaluated again.
        if self.ended() {
            return;
        }
        let promised = self.group.promise_thread();
        if !promised && !self.owner_works() {
            return;
        }
        let head = &mut self.head;
        let pulled = catch_unwind(AssertUnwindSafe(head));
        if let Ok(Pulled::Value(value)) = pulled {
            if promised {
                self.run.source.push(value);
                if let Some(rhythm) = &mut self.rhythm {
                    rhythm.handed_out(Instant::now());
                }
            } else {
                self.run.run_here(value);
            }
            return;
        }
        if promised {
            self.group.keep_promises(1);
        }
        self.ended = true;
        match pulled {
            Ok(Pulled::Value(_) | Pulled::End) => {}
            Ok(Pulled::Exit(exit)) => self.run.end(Ending::Exit(exit)),
            Err(payload) => self.run.end(Ending::Panic(payload)),
        }
    }
}

impl<'a, T: Send, B: Body<T>> Run<'a, Headed<'_, T>, B> {
    /// The owner runs one value of its head itself, as a visit would: no pool thread was free
    /// to start it.
    fn run_here(&self, value: T) {
        // A recursion reached from the value joins the group: the owner is one of its threads
        // now (nested, it is one already).
        let _inside = super::group::enter(&self.place);
        let _current = cancel::enter(&self.token);
        let ran = catch_unwind(AssertUnwindSafe(|| {
            // The run may have ended while the head was evaluated.
            if self.token.is_cancelled() {
                drop(value);
                return;
            }
            let mut local = self.body.start();
            if let Some(exit) = self.body.run(&mut local, value).into_exit() {
                self.end(Ending::Exit(exit));
            }
            self.body.finish(local);
        }));
        if let Err(payload) = ran {
            self.end(Ending::Panic(payload));
        }
    }
}
