//! What an iteration on a pool thread takes over from the thread that started its run: with
//! the `tracing` feature, the span current there and the subscriber that thread logs to, so
//! that its events carry the caller's span, and reach the caller's subscriber even when that
//! one is only the caller thread's default (`tracing::subscriber::with_default`), as the
//! sequential loop's events would.
//!
//! Captured once per run, not per group: an iteration that enters a span of its own and then
//! recurses starts an inner run that belongs in that span. Entered once per visit, not per
//! item. Without a subscriber nothing is carried: capturing costs a load of tracing's level
//! filter, entering a branch, and a run's frame grows by one word.

#[cfg(feature = "tracing")]
use tracing::level_filters::LevelFilter;

/// The context of one run; empty without the `tracing` feature.
pub(crate) struct Context {
    /// Boxed: a run is on its owner's stack, once per level of a recursion, and the span and
    /// the subscriber are eight words; the box is only made when there is a subscriber.
    #[cfg(feature = "tracing")]
    carried: Option<Box<Carried>>,
}

#[cfg(feature = "tracing")]
struct Carried {
    span: tracing::Span,
    dispatch: tracing::Dispatch,
}

impl Context {
    /// The context of the current thread, where a run starts. Not inlined: its temporaries
    /// would stay in the frame of a run's owner, once per level of a recursion.
    #[inline(never)]
    pub(crate) fn capture() -> Self {
        Context {
            #[cfg(feature = "tracing")]
            carried: {
                // No subscriber has ever been created (or every one that was wants nothing):
                // nothing can be logged, so nothing is carried. One load, where looking up
                // the dispatcher and the span costs about 15 ns.
                if LevelFilter::current() == LevelFilter::OFF {
                    return Context { carried: None };
                }
                let dispatch = tracing::dispatcher::get_default(tracing::Dispatch::clone);
                let span = tracing::Span::current();
                let nothing = dispatch.is::<tracing::subscriber::NoSubscriber>();
                (!nothing || !span.is_none()).then(|| Box::new(Carried { span, dispatch }))
            },
        }
    }

    /// Whether a thread in context `here` may run this run's iterations: if the spans are
    /// the same, or there are none. A thread already inside a span cannot make an outer one
    /// current again: subscribers such as `tracing-subscriber`'s registry skip a span that
    /// is entered twice on a thread, so an iteration would log into the helping thread's own
    /// span instead (and its new spans would get that one as parent). So an owner waiting
    /// for its run in a recursion helps only with runs started in its own span; pool
    /// threads, which are in no span between visits, run every run.
    #[inline]
    pub(crate) fn fits(&self, here: &Here) -> bool {
        #[cfg(feature = "tracing")]
        {
            self.carried.as_ref().and_then(|c| c.span.id()) == here.0
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = here;
            true
        }
    }

    /// Runs this thread in the context until the guard is dropped.
    #[inline]
    pub(crate) fn enter(&self) -> Entered<'_> {
        Entered {
            #[cfg(feature = "tracing")]
            _carried: self.carried.as_deref().map(|carried| {
                // The subscriber first: the span's events on this thread go to it.
                let default = tracing::dispatcher::set_default(&carried.dispatch);
                (carried.span.enter(), default)
            }),
            _context: std::marker::PhantomData,
        }
    }
}

/// The span a thread is in, to compare with a run's (see [`Context::fits`]).
pub(crate) struct Here(#[cfg(feature = "tracing")] Option<tracing::span::Id>);

impl Here {
    /// Where this thread is now; `none` where it helps no other run.
    #[inline(never)]
    pub(crate) fn now(helps: bool) -> Here {
        #[cfg(feature = "tracing")]
        return Here(
            (helps && LevelFilter::current() != LevelFilter::OFF)
                .then(|| tracing::Span::current().id())
                .flatten(),
        );
        #[cfg(not(feature = "tracing"))]
        {
            let _ = helps;
            Here()
        }
    }
}

/// See [`Context::enter`]. Its fields drop in order: the span is left before the thread's own
/// subscriber is back.
pub(crate) struct Entered<'c> {
    #[cfg(feature = "tracing")]
    _carried: Option<(
        tracing::span::Entered<'c>,
        tracing::dispatcher::DefaultGuard,
    )>,
    _context: std::marker::PhantomData<&'c Context>,
}
