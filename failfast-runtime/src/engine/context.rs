//! What an iteration on a pool thread takes over from the thread that started its run: with
//! the `tracing` feature, the span current there and the subscriber that thread logs to, so
//! that its events carry the caller's span, and reach the caller's subscriber even when that
//! one is only the caller thread's default (`tracing::subscriber::with_default`), as the
//! sequential loop's events would; with the `tokio` feature, the tokio runtime that thread was
//! in, so that `tokio::spawn` and `Handle::current()` work in the iteration as on the caller
//! (a thread loop in an `async fn` that spawns a task per item), where a pool thread outside
//! any runtime would panic.
//!
//! Captured once per run, not per group: an iteration that enters a span of its own and then
//! recurses starts an inner run that belongs in that span. Entered once per visit, not per
//! item. Without a subscriber nothing is carried: capturing costs a load of tracing's level
//! filter, entering a branch, and a run's frame grows by one word.

#[cfg(feature = "tracing")]
use tracing::level_filters::LevelFilter;

/// The context of one run; empty without the `tracing` and `tokio` features.
pub(crate) struct Context {
    /// Boxed: a run is on its owner's stack, once per level of a recursion, and the span and
    /// the subscriber are eight words; the box is only made when there is a subscriber.
    #[cfg(feature = "tracing")]
    carried: Option<Box<Carried>>,
    /// The tokio runtime the run's caller was in. Boxed for the same reason; made only in a
    /// runtime.
    #[cfg(feature = "tokio")]
    runtime: Option<Box<tokio::runtime::Handle>>,
}

#[cfg(feature = "tracing")]
struct Carried {
    span: tracing::Span,
    dispatch: tracing::Dispatch,
}

#[cfg(feature = "tracing")]
impl Carried {
    /// The span and subscriber of the current thread, unless nothing can be logged.
    fn capture() -> Option<Box<Carried>> {
        // No subscriber has ever been created (or every one that was wants nothing): nothing
        // can be logged, so nothing is carried. One load, where looking up the dispatcher and
        // the span costs about 15 ns.
        if LevelFilter::current() == LevelFilter::OFF {
            return None;
        }
        // Carried also when it is `NoSubscriber`: some subscriber wants events (the level
        // above), so this thread's default was set to nothing on purpose (`with_default(
        // NoSubscriber, ..)` silencing a region), and pool threads, whose default is the
        // global one, must log to nothing too.
        let dispatch = tracing::Dispatch::default();
        let span = tracing::Span::current();
        Some(Box::new(Carried { span, dispatch }))
    }

    /// Whether this thread, with the run's span entered, logs to the captured dispatcher
    /// already, so that entering the context need not make it this thread's default. Making it
    /// the default costs an atomic add and subtract on a counter global to the process, which
    /// every thread's `tracing` calls then read on their slow path while it is not zero: with
    /// a subscriber set as the global default, every pool visit did so for nothing.
    ///
    /// Asked of the subscriber, with public API only: the dispatcher this thread logs to sees
    /// the span just entered (through the span's own dispatcher) as its current one. A pool
    /// thread's default between visits is the global one, which only sees the span if it is
    /// the captured subscriber; a subscriber that does not track spans never says so, and is
    /// made the default.
    fn is_default_here(&self) -> bool {
        let Some(id) = self.span.id() else {
            // No span to ask. A caller that logs to nothing (a silenced region, or a process
            // whose subscribers are all scoped to other threads) needs nothing made the
            // default on a thread that logs to nothing already.
            let nothing =
                |dispatch: &tracing::Dispatch| dispatch.is::<tracing::subscriber::NoSubscriber>();
            return nothing(&self.dispatch) && tracing::dispatcher::get_default(nothing);
        };
        tracing::dispatcher::get_default(|dispatch| dispatch.current_span().id() == Some(&id))
    }
}

impl Context {
    /// The context of the current thread, where a run starts. Not inlined: its temporaries
    /// would stay in the frame of a run's owner, once per level of a recursion.
    #[inline(never)]
    pub(crate) fn capture() -> Self {
        Context {
            #[cfg(feature = "tracing")]
            carried: Carried::capture(),
            // Outside a runtime, a thread-local read.
            #[cfg(feature = "tokio")]
            runtime: tokio::runtime::Handle::try_current().ok().map(Box::new),
        }
    }

    /// Whether a thread in span `here` may run this run's iterations: unless the run's span is
    /// one that this thread entered for a run it is inside (as its owner, or visiting it),
    /// other than `here` itself. Entering a span that is already on the thread's span stack
    /// does not make it current again: subscribers such as `tracing-subscriber`'s registry
    /// skip a span entered twice on a thread, so an iteration would log into the span
    /// current on the helping thread instead (and its new spans would get that one as
    /// parent). Any other span may be entered: a sibling, say, of a recursion's level. So an
    /// owner waiting for its run helps every other run but those of its own enclosing levels;
    /// pool threads, which are in no span between visits, run every run.
    #[inline]
    pub(crate) fn fits(&self, here: &Here) -> bool {
        #[cfg(feature = "tracing")]
        {
            match self.span() {
                None => true,
                Some(span) => {
                    let span = Some(span);
                    here.0 == span
                        || !ENTERED
                            .try_with(|entered| entered.borrow().contains(&span))
                            .unwrap_or(false)
                }
            }
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = here;
            true
        }
    }

    /// This run's span, if it has one.
    #[cfg(feature = "tracing")]
    fn span(&self) -> Option<tracing::span::Id> {
        self.carried.as_ref().and_then(|c| c.span.id())
    }

    /// Runs this thread in the context until the guard is dropped.
    #[inline]
    pub(crate) fn enter(&self) -> Entered<'_> {
        Entered {
            #[cfg(feature = "tracing")]
            _carried: self.carried.as_deref().map(|carried| {
                let _ = ENTERED.try_with(|entered| entered.borrow_mut().push(carried.span.id()));
                // Made before entering: if the subscriber panics there, it still unmarks.
                let marked = Marked;
                // The span enters through its own dispatcher, whatever this thread's default.
                let span = carried.span.enter();
                // The subscriber then, unless this thread logs to it already: the span's
                // events on this thread go to it.
                let default = (!carried.is_default_here())
                    .then(|| tracing::dispatcher::set_default(&carried.dispatch));
                (span, default, marked)
            }),
            #[cfg(feature = "tokio")]
            _runtime: self.runtime.as_deref().map(tokio::runtime::Handle::enter),
            _context: std::marker::PhantomData,
        }
    }
}

/// The span current on a thread, to compare with a run's (see [`Context::fits`]), where the
/// owner of a run waits for it. It stays the same while the owner waits: what the owner
/// enters while it helps, it leaves before it looks for the next run. Until dropped, it marks
/// the thread as inside the owner's run (see [`ENTERED`]).
pub(crate) struct Here(#[cfg(feature = "tracing")] Option<tracing::span::Id>);

impl Here {
    /// Where the owner of a run in context `mine` is now; no span where it helps no other
    /// run. Not inlined, and one word: it stays in the owner's frame, once per level of a
    /// recursion.
    #[inline(never)]
    pub(crate) fn now(helps: bool, mine: &Context) -> Here {
        #[cfg(feature = "tracing")]
        {
            let here = Here(
                (helps && LevelFilter::current() != LevelFilter::OFF)
                    .then(|| tracing::Span::current().id())
                    .flatten(),
            );
            // Pushed whether or not the run has a span, so that dropping `Here` pops without
            // a flag: a thread-local push, a few ns per run. Pushed once `here` is made, so
            // that it pops.
            let _ = ENTERED.try_with(|entered| entered.borrow_mut().push(mine.span()));
            here
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = (helps, mine);
            Here()
        }
    }
}

#[cfg(feature = "tracing")]
impl Drop for Here {
    fn drop(&mut self) {
        let _ = ENTERED.try_with(|entered| entered.borrow_mut().pop());
    }
}

/// See [`Context::enter`]. Its fields drop in order: the span is left before the thread's own
/// subscriber is back.
pub(crate) struct Entered<'c> {
    #[cfg(feature = "tracing")]
    _carried: Option<(
        tracing::span::Entered<'c>,
        Option<tracing::dispatcher::DefaultGuard>,
        Marked,
    )>,
    /// Left after the span (fields drop in order): what the span's exit logs still sees the
    /// runtime, as the iteration did.
    #[cfg(feature = "tokio")]
    _runtime: Option<tokio::runtime::EnterGuard<'c>>,
    _context: std::marker::PhantomData<&'c Context>,
}

/// Unmarks what [`Context::enter`] marked, when dropped (see [`ENTERED`]).
#[cfg(feature = "tracing")]
struct Marked;

#[cfg(feature = "tracing")]
impl Drop for Marked {
    fn drop(&mut self) {
        let _ = ENTERED.try_with(|entered| entered.borrow_mut().pop());
    }
}

#[cfg(all(feature = "tracing", not(loom)))]
std::thread_local! {
    /// The spans of the runs this thread is inside, as their owner or visiting them,
    /// innermost last: all on its span stack (see [`Context::fits`]). Gone while the thread's
    /// locals are being destroyed, as it exits, where a loop may still run (in the `Drop` of
    /// another thread-local): then every access leaves it alone, and no span is found in it.
    static ENTERED: std::cell::RefCell<Vec<Option<tracing::span::Id>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(all(feature = "tracing", loom))]
loom::thread_local! {
    static ENTERED: std::cell::RefCell<Vec<Option<tracing::span::Id>>> =
        std::cell::RefCell::new(Vec::new());
}
