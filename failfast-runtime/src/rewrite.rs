//! What the `#[fail_fast]` rewrite calls for a thread loop: the engine on the path that its
//! input's type allows (see [`Input`]), with bounds that say, in the loop's terms, what to
//! write when a type does not cross threads.
//!
//! The names here are the ones rustc shows when a loop does not compile ("required by a bound
//! in `failfast::parallel_loop::Fed::thread_loop`"): the facade re-exports them as
//! `failfast::parallel_loop`, and they are written for the user who reads that error.
//!
//! rustc reports a missing `Send` or `Sync` on the rewritten loop at the user's own tokens (the
//! input, or the `for` keyword); these traits give that error its message and its help. A
//! capture that is not `Sync` would be reported as a bound of the body's closure, which the
//! user did not write: [`shared_by_iterations`] reports it first, in the loop's terms.

mod changed;
mod lent;
mod moved;

pub use crate::engine::indexed::IntoIndexed;
pub use crate::engine::LoopSite;
use crate::engine::{self, Site};
use crate::outcome::{Fallible, LoopStep};
use crate::{ForEach, Loop, Stopped};
pub use changed::{
    an_index, changed_by_async_iterations, changed_by_thread_iterations, changes,
    taken_by_the_head, AnotherType, Changes, ChangesAnotherType, NotChangedByFutures,
    NotChangedByThreads, NotTakenFromByTheHead, Popped, PoppedAtEnds, PoppedInOrder, StdContainer,
    TakenFrom,
};
pub use lent::{Lent, View};
pub use moved::{
    kept_for_return, moved_by_iteration, moved_by_return, moved_place, returned_value, Kept,
    KeptForReturn, MovedByIteration, MovedByReturn, MovedValue, Reborrowed, Returned,
};
use std::marker::PhantomData;
use std::ops::ControlFlow;

/// Two traits that ask for `$bound` with one message, implemented for every `T: $for`:
/// `$recommended`, whose impl rustc looks through, to report the part deep inside a type that
/// fails and to suggest a bound for a type parameter; and `$whole`, whose impl it does not
/// (`do_not_recommend`), to report the whole type with the message, where no type parameter
/// is in sight. One message, so that the two cannot drift apart.
macro_rules! bound_twice {
    (
        $(#[$recommended_doc:meta])*
        $recommended:ident,
        $(#[$whole_doc:meta])*
        $whole:ident,
        bound = $bound:path,
        for = [$($for:tt)+],
        message = $message:literal,
        label = $label:literal,
        $(note = $note:literal),+ $(,)?
    ) => {
        $(#[$recommended_doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, $(note = $note),+)]
        pub trait $recommended: $bound {}
        impl<T: $($for)+> $recommended for T {}

        $(#[$whole_doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, $(note = $note),+)]
        pub trait $whole: $bound {}
        #[diagnostic::do_not_recommend]
        impl<T: $($for)+> $whole for T {}
    };
}

bound_twice! {
    /// The items of a thread loop go to worker threads.
    SendItem,
    /// [`SendItem`], for a function with no type parameter in sight (no generics, no `impl
    /// Trait` parameter, no `self` whose type's may be): there rustc would report a part deep
    /// inside an item (`dyn Handler` in `&Arc<dyn Handler>`) without this message, and has no
    /// type parameter to suggest a bound for (where it suggests `T: Sync` better than this
    /// message could).
    SendToWorkers,
    bound = Send,
    for = [Send],
    message = "the items of a parallel loop are sent to worker threads, but `{Self}` cannot be sent between threads safely",
    label = "the items of this input are not `Send`",
    note = "use `Arc` instead of `Rc`, and `dyn Trait + Send + Sync` for a trait object; items borrowed from the input (`&T`) need `T: Sync`; or loop over values that are `Send` (indices, owned data) and build the rest inside the body",
}

/// The values of a thread `while let` loop go to worker threads: the message for a part of
/// one that the loop's pattern moves out (see [`Whole`]).
#[diagnostic::on_unimplemented(
    message = "the values of a parallel `while let` loop are sent to worker threads, but `{Self}` cannot be sent between threads safely",
    label = "this loop's pattern binds a value that is not `Send`",
    note = "use `Arc` instead of `Rc`; values borrowed (`&T`) need `T: Sync`; or have the head give values that are `Send` (indices, owned data) and build the rest inside the body"
)]
pub trait SendValue: Send {}
impl<T: Send> SendValue for T {}

/// The first failure or `return` value of a thread loop comes back from a worker thread.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` value of a parallel loop comes back from a worker thread, but `{Self}` cannot be sent between threads safely",
    label = "the value this loop's exit carries is not `Send`",
    note = "use `Arc` instead of `Rc`; for `Box<dyn Error>`, return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same"
)]
pub trait SendExit: Send {}
impl<T: Send> SendExit for T {}

/// [`SendExit`], for an exit whose type the function names through an alias that hides its
/// error (`Result<()>`, with `type Result<T> = Result<T, Box<dyn Error>>`): there rustc would
/// report `dyn Error`, deep inside, as not `Send`, without this message and its hint,
/// `Box<dyn Error + Send + Sync>`. Not recommended, so that it reports the whole value with
/// this message. Also for a `Result` whose error is a bare name other than `String`
/// (`Result<(), BoxError>`, where `type BoxError = Box<dyn Error>;` is common): for a struct
/// of the user's that holds an `Rc` there, the message names the struct, not the field; and
/// for an exit whose written type holds a boxed trait object that is not `Send`
/// (`Option<Box<dyn Shape>>`). Not for other exits whose type is written out, where rustc's
/// own report names the field or suggests the bound (`E: Send`) better.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` value of a parallel loop comes back from a worker thread, but `{Self}` cannot be sent between threads safely",
    label = "the value this loop's exit carries is not `Send`",
    note = "use `Arc` instead of `Rc`; for `Box<dyn Error>`, return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same; a boxed trait object needs `+ Send` (`Box<dyn Shape + Send>`)"
)]
pub trait SendBack: Send {}
#[diagnostic::do_not_recommend]
impl<T: Send> SendBack for T {}

bound_twice! {
    /// A value declared outside a thread loop and used by its body: the iterations share it.
    ///
    /// The rewrite checks each variable the body uses (`seen`, `self`) with
    /// [`shared_by_iterations`] before the loop, at the `for` keyword, so that rustc reports a
    /// place that is not `Sync` with this message, and not as a requirement of the body's
    /// closure, which the user did not write (rustc then drops its own report of it).
    SharedCapture,
    /// [`SharedCapture`], for a loop with no type parameter in sight (see [`SendToWorkers`]):
    /// not recommended, so that rustc reports the variable the body uses with the loop's
    /// message, rather than `Sync`'s for a part deep inside it (a `Cell` field of a struct, an
    /// `Rc` in a `HashMap` through the map's own internals). Where a type parameter is in
    /// sight, rustc's report suggests a bound for it instead.
    SharedByIterations,
    bound = Sync,
    for = [?Sized + Sync],
    message = "the iterations of a parallel loop use `{Self}` from several threads at once, but it cannot be shared between threads safely",
    label = "the body of this loop uses `{Self}`, declared outside it",
    note = "share it safely: a `Mutex` or `RwLock` instead of a `RefCell`, an atomic (`AtomicUsize`) instead of a `Cell`, an `Arc` instead of an `Rc`, `&(dyn Trait + Sync)` for a trait object, a `+ Sync` bound for a generic or `impl Trait` parameter (and `Fn`, not `FnMut`, for a function the body calls: iterations call it at once); or build it inside the body",
}

/// See [`SharedCapture`]. The place is a variable (`Sized`), coerced to a trait object rather
/// than bound by a type parameter, so that rustc's error quotes no line of this crate
/// ("required by a bound in ..").
#[inline(always)]
pub fn shared_by_iterations(_: &dyn SharedCapture) {}

/// [`shared_by_iterations`], with no type parameter in sight: see [`SharedByIterations`].
#[inline(always)]
pub fn shared_by_iterations_concrete(_: &dyn SharedByIterations) {}

bound_twice! {
    /// [`SharedThroughReference`], where a type parameter of the function's own is in sight
    /// (`fn run<H: Handler>(service: &Service<H>)`): rustc follows it down to the parameter and
    /// suggests the bound the user can write (`H: Sync`), rather than this trait in a `where`
    /// clause. (A method's `self` is not enough: the attribute does not see whether its `impl`
    /// has parameters.)
    SharedThroughGenericReference,
    /// A reference declared outside a thread loop whose body uses only its fields
    /// (`self.hits`): rustc captures the reference, so the iterations share the whole value it
    /// points to, also its fields that the body does not use. See [`SharedCapture`]. Not
    /// recommended, so that rustc reports this trait's message for the reference, rather than
    /// `Sync`'s for the field deep inside that is not (which the body may not even use).
    SharedThroughReference,
    bound = Sync,
    for = [?Sized + Sync],
    message = "the iterations of a parallel loop share `{Self}` from several threads at once, but it cannot be shared between threads safely",
    label = "the body of this loop uses fields through this `{Self}`, which shares all of the value",
    note = "a field used through a reference (`self.hits`) shares the whole value the reference points to, also the fields the body does not use: if the fields it uses can be shared, borrow them before the loop (`let hits = &self.hits;`) and use `hits` in the body",
    note = "or share the value safely: a `+ Sync` bound for a type parameter of its type (`impl<H: Handler + Sync>`), a `Mutex` or `RwLock` instead of a `RefCell`, an atomic (`AtomicUsize`) instead of a `Cell`, an `Arc` instead of an `Rc`",
}

/// See [`SharedThroughReference`] and [`shared_by_iterations`].
#[inline(always)]
pub fn shared_through_reference(_: &dyn SharedThroughReference) {}

/// See [`SharedThroughGenericReference`].
#[inline(always)]
pub fn shared_through_generic_reference(_: &dyn SharedThroughGenericReference) {}

/// A field of a variable (`names.all`), which the body's closure captures alone, for
/// [`shared_by_iterations`]: the rewrite writes
/// `shared_by_iterations(shared_field(addr_of!(names.all)))`. From a raw pointer, which a
/// packed struct's field allows where `&` is refused; as a reference to a reference, which is
/// `Sized` (a field may not be) and `Sync` exactly when the field is.
#[inline(always)]
pub fn shared_field<'a, T: ?Sized>(_: *const T) -> &'a &'a T {
    unreachable!("only in the rewrite's checks, which never run")
}

/// A value of the type of what `_` points to, for a check that gives it to a standard function
/// (`IntoIterator::into_iter(value_like(&input))`): rustc reports a type that does not fit
/// that function in its own terms, quoting no line of this crate. Only in the rewrite's
/// checks, which never run.
#[inline(always)]
pub fn value_like<T>(_: &T) -> T {
    unreachable!("only in the rewrite's checks, which never run")
}

/// No item of an input: the rewrite writes
/// `if let Some(item) = items_of(&input) { sent_to_workers(&item) }` before the loop, so that
/// an item type that is not `Send` is reported there, at the user's input, through a cast
/// that quotes no line of this crate ("required by a bound in .."); rustc then leaves out its
/// report of the same bound on the loop.
#[inline(always)]
pub fn items_of<I: IntoIterator>(_: &I) -> Option<I::Item> {
    None
}

/// No value of the function's return type: the rewrite writes
/// `if let Some(v) = returned() { sent_back(&v); return v; }` before a loop, so that a return
/// type that is not `Send` (what the loop's first failure or `return` carries back from a
/// worker thread) is reported there, at `for`, through a cast that quotes no line of this
/// crate; rustc then leaves out its report of the same bound on the loop.
#[inline(always)]
pub fn returned<R>() -> Option<R> {
    None
}

/// A value that crosses threads whole (an item, a `while let` value, a loop's exit), for
/// checking its parts: the rewrite checks the parts a pattern moves out of it (`name` in
/// `Ok(name)`, each of `(i, name)`) and what it holds one level down (see [`Parts`]), so that
/// an `Rc` inside `Ok(..)` gets this crate's message and the `Arc` hint rather than rustc's
/// "within `Result<..>`", and rustc leaves out the whole value's report as implied by the
/// part's.
///
/// Only when the whole value is not `Send`: a part of a value that is `Send` need not be
/// (`unsafe impl Send for Ptr`, or `where (A, B): Send` alone), as the part never crosses
/// alone. The rewrite writes `(&whole(&value)).__failfast_checks()`: the inherent method of
/// `Whole<T: Send>` gives [`Unchecked`]; for any other `T` method lookup goes on through
/// `Deref` to [`NotSent`]'s, which gives [`Checked`]. (Inherent methods, so that the rewrite
/// imports no trait and no user's method of the same name can come between.)
pub struct Whole<T>(NotSent<T>);

/// See [`Whole`].
pub struct NotSent<T>(PhantomData<fn() -> T>);

/// See [`Whole`]; the value is only read for its type.
#[inline(always)]
pub fn whole<T>(_: &T) -> Whole<T> {
    Whole(NotSent(PhantomData))
}

/// [`whole`] for an input's items.
#[inline(always)]
pub fn whole_item<I: IntoIterator>(_: &I) -> Whole<I::Item> {
    Whole(NotSent(PhantomData))
}

impl<T> Whole<T> {
    /// No value: the type is what the rewrite's pattern binds against.
    #[inline(always)]
    pub fn value(&self) -> Option<T> {
        None
    }

    /// No value either: `bind`'s parameter is the `for` loop's pattern, which rustc checks
    /// against `T` as it checks the iteration closure's, and where the pattern does not fit,
    /// reports the same error at the same place, which it then prints once.
    #[inline(always)]
    pub fn bind(&self, bind: impl FnOnce(T)) {
        let _ = bind;
    }
}

impl<T: Send> Whole<T> {
    /// See [`Whole`].
    #[inline(always)]
    pub fn __failfast_checks(&self) -> Unchecked {
        Unchecked
    }
}

impl<T> std::ops::Deref for Whole<T> {
    type Target = NotSent<T>;
    fn deref(&self) -> &NotSent<T> {
        &self.0
    }
}

impl<T> NotSent<T> {
    /// See [`Whole`].
    #[inline(always)]
    pub fn __failfast_checks(&self) -> Checked {
        Checked
    }
}

/// The parts of a value that is `Send`: nothing to check. See [`Whole`].
pub struct Unchecked;

impl Unchecked {
    /// See [`Checked::item`].
    #[inline(always)]
    pub fn item<T: ?Sized>(&self, _: &T) {}
    /// See [`Checked::item_concrete`].
    #[inline(always)]
    pub fn item_concrete<T: ?Sized>(&self, _: &T) {}
    /// See [`Checked::value`].
    #[inline(always)]
    pub fn value<T: ?Sized>(&self, _: &T) {}
    /// See [`Checked::exit`].
    #[inline(always)]
    pub fn exit<T: ?Sized>(&self, _: &T) {}
    /// See [`Checked::exit_aliased`].
    #[inline(always)]
    pub fn exit_aliased<T: ?Sized>(&self, _: &T) {}
}

/// The parts of a value that is not `Send`, each checked with the message of what the whole
/// is. See [`Whole`].
pub struct Checked;

impl Checked {
    /// A part of an item: [`SendItem`].
    #[inline(always)]
    pub fn item(&self, _: &dyn SendItem) {}
    /// A part of an item, with no type parameter in sight: [`SendToWorkers`].
    #[inline(always)]
    pub fn item_concrete(&self, _: &dyn SendToWorkers) {}
    /// A part of a `while let` value: [`SendValue`].
    #[inline(always)]
    pub fn value(&self, _: &dyn SendValue) {}
    /// A part of a loop's exit: [`SendExit`].
    #[inline(always)]
    pub fn exit(&self, _: &dyn SendExit) {}
    /// A part of a loop's exit whose type is an alias: [`SendBack`].
    #[inline(always)]
    pub fn exit_aliased(&self, _: &dyn SendBack) {}
}

/// What a value holds, one level down, where it is a `Result`, an `Option` or a `Vec` (see
/// [`Whole`]): the rewrite writes `(&parts_of(&value)).__failfast_parts()`, the method of
/// [`SplitParts`] for `Parts<Result<T, E>>`, `Parts<Option<T>>` or `Parts<Vec<T>>`, or for any
/// other type, by autoref, [`NoParts`]'s. Each of these is `Send` exactly when what it holds
/// is, so the part is what to name. Only where the value's type is known before the loop: with
/// an outer type still to be inferred, the choice would be ambiguous. Traits, not inherent
/// methods: where the user's type does not resolve (a typo), a trait's method is one candidate,
/// and rustc adds nothing to the user's own error (three inherent methods were "multiple
/// applicable items", naming this).
pub struct Parts<R>(PhantomData<fn() -> R>);

/// See [`Parts`]; the value is only read for its type.
#[inline(always)]
pub fn parts_of<R>(_: &R) -> Parts<R> {
    Parts(PhantomData)
}

/// See [`Parts`]: what a `Result`, `Option` or `Vec` holds.
pub trait SplitParts {
    /// The `Ok` value, the `Some` value, the element.
    type First;
    /// The error, or nothing.
    type Second;
    /// See [`Parts`]: never any part, the types are what the rewrite checks.
    fn __failfast_parts(&self) -> (Option<Self::First>, Option<Self::Second>);
}

impl<T, E> SplitParts for Parts<Result<T, E>> {
    type First = T;
    type Second = E;
    #[inline(always)]
    fn __failfast_parts(&self) -> (Option<T>, Option<E>) {
        (None, None)
    }
}

impl<T> SplitParts for Parts<Option<T>> {
    type First = T;
    type Second = ();
    #[inline(always)]
    fn __failfast_parts(&self) -> (Option<T>, Option<()>) {
        (None, None)
    }
}

impl<T> SplitParts for Parts<Vec<T>> {
    type First = T;
    type Second = ();
    #[inline(always)]
    fn __failfast_parts(&self) -> (Option<T>, Option<()>) {
        (None, None)
    }
}

/// See [`Parts`]: any other type, nothing below it to name.
pub trait NoParts {
    /// See [`Parts`].
    fn __failfast_parts(&self) -> (Option<()>, Option<()>);
}

impl<R> NoParts for &Parts<R> {
    #[inline(always)]
    fn __failfast_parts(&self) -> (Option<()>, Option<()>) {
        (None, None)
    }
}

/// A `return Err(e)` of a loop that only fails, of the function's written type: the
/// iteration's failure, `Err(e)`, which carries nothing of the `Ok` type across threads.
#[inline(always)]
pub fn failure_of<T, E>(returned: Result<T, E>) -> Result<(), E> {
    match returned {
        Ok(_) => unreachable!("the rewrite gives it only `return Err(..)`'s value"),
        Err(failure) => Err(failure),
    }
}

/// See [`returned`] and [`SendExit`].
#[inline(always)]
pub fn sent_back(_: &dyn SendExit) {}

/// [`sent_back`], for an exit whose type is an alias: see [`SendBack`].
#[inline(always)]
pub fn sent_back_aliased(_: &dyn SendBack) {}

/// What a loop that only fails carries back from a worker thread, where the type it leaves
/// through is not known before the loop (a closure's that is not written, an `impl Trait`
/// in a function's): the error of a `Result`, nothing of an `Option` or `()`. The value of
/// `Ok` stays on the calling thread, and need not be `Send`, as where the type is written
/// (see [`returned`]). A bound rather than the rewrite's parts, which need the type there.
/// Not recommended, so that rustc reports the whole type with this message, and lists none
/// of these impls.
#[diagnostic::on_unimplemented(
    message = "the first failure of a parallel loop comes back from a worker thread, but the error of `{Self}` cannot be sent between threads safely",
    label = "the failure this loop's exit carries is not `Send`",
    note = "use `Arc` instead of `Rc`; for `Box<dyn Error>`, return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same"
)]
pub trait FailureSentBack {}
#[diagnostic::do_not_recommend]
impl<T, E: SendExit> FailureSentBack for Result<T, E> {}
#[diagnostic::do_not_recommend]
impl<T> FailureSentBack for Option<T> {}
#[diagnostic::do_not_recommend]
impl FailureSentBack for () {}

/// See [`FailureSentBack`].
#[inline(always)]
pub fn failure_sent_back(_: &dyn FailureSentBack) {}

/// See [`items_of`] and [`SendItem`].
#[inline(always)]
pub fn sent_to_workers(_: &dyn SendItem) {}

/// [`sent_to_workers`], with no type parameter in sight: see [`SendToWorkers`].
#[inline(always)]
pub fn sent_to_workers_concrete(_: &dyn SendToWorkers) {}

/// The path a thread loop takes, chosen by its input's type with autoref-based dispatch
/// (there is no specialization on stable Rust): the rewrite writes
///
/// ```text
/// match INPUT {
///     input => (&&&input(&input)).__failfast_path().thread_loop(input, WORKERS, &SITE, BODY),
/// }
/// ```
///
/// and method resolution tries `&&&Input` first (inputs split by index: [`Split`]), then
/// `&&Input` (other `Send` inputs, pulled by every worker: [`Shared`]), then `&Input` (any
/// input, pulled by the calling thread: [`Fed`]). Each step applies only if the input's type
/// meets its impl's bounds.
///
/// Whether a closure of the function being compiled is `Send` is unknown while rustc picks
/// the path (it decides once the whole function is type-checked), so an input holding one
/// looks `Send`: the macro leaves [`SharedByWorkers`] out of scope for an input that may hold
/// a capturing closure, and such an input is pulled by the calling thread.
///
/// Unless the macro sees every closure the input holds, and the locals they may capture: then
/// it writes `input_capturing(&input, (captured(&a), captured(&b)))`, and the shared path
/// also needs those locals' types (`C`, known while the path is chosen) to be `Send` and
/// `Sync`, which makes the closures `Send` (a closure captures a local by value, by `&` or by
/// `&mut`). The path's own bound still checks the input itself.
pub struct Input<I, C = ()>(PhantomData<fn() -> (I, C)>);

/// See [`Input`]; takes the input by reference so that the rewrite can move it afterwards.
pub fn input<I>(_: &I) -> Input<I> {
    Input(PhantomData)
}

/// See [`Input`]: an input whose closures may capture the locals that `captures` stands for.
pub fn input_capturing<I, C>(_: &I, _: C) -> Input<I, C> {
    Input(PhantomData)
}

/// See [`Input`]: a local that a closure of the input may capture, by its type alone (the
/// borrow ends at once, before the input moves it).
pub fn captured<T: ?Sized>(_: &T) -> PhantomData<T> {
    PhantomData
}

/// Inputs split by index: ranges, slices, `Vec`s and arrays. See [`Input`].
pub trait SplitByIndex {
    /// This path.
    fn __failfast_path(&self) -> Split {
        Split
    }
}
impl<I: IntoIndexed, C> SplitByIndex for &&Input<I, C> {}

/// Inputs whose iterator is `Send`. See [`Input`].
///
/// Refused only for an input that holds a closure of the function that the macro could not
/// see (built outside the `for` expression, in a way it does not follow): the message says so.
#[diagnostic::on_unimplemented(
    message = "the input of this parallel loop cannot be shared by its worker threads: a closure in `{I}` captures a value that cannot be sent between threads safely",
    label = "this input is shared by worker threads",
    note = "rustc cannot yet tell whether a closure is `Send` when it picks the loop's path: write the adapter (`.filter(..)`, `.map(..)`) in the `for` expression itself, where `#[fail_fast]` sees it and lets the calling thread pull the input",
    note = "or make the closure `Send`: capture an `Arc` instead of an `Rc`, a `Mutex` or an atomic instead of a `RefCell` or a `Cell`"
)]
pub trait SharedByWorkers<I> {
    /// This path.
    fn __failfast_path(&self) -> Shared {
        Shared
    }
}
// Not recommended, so that rustc reports this trait's message: with the impl's bound reported
// instead, rustc would name the captured type (`RefCell<..>`), but with `Sync`'s own message,
// none of this help, and this line quoted (it keeps a bound's own message only when the bound
// is on the same type as the trait's).
#[diagnostic::do_not_recommend]
impl<I: IntoIterator, C: Send + Sync> SharedByWorkers<I> for &Input<I, C> where I::IntoIter: Send {}

/// Any input. See [`Input`].
pub trait PulledByCaller {
    /// This path.
    fn __failfast_path(&self) -> Fed {
        Fed
    }
}
impl<I, C> PulledByCaller for Input<I, C> {}

/// The path of inputs split by index: the calling thread and `workers - 1` pool threads claim
/// index ranges.
pub struct Split;

impl Split {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    // In the caller's frame, also in a debug build: a recursion pays a frame of its own on
    // every level.
    #[inline(always)]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIndexed,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        crate::check_workers(workers);
        crate::never_stopped(engine::run_indexed(
            input,
            workers,
            Site::Loop(site),
            &ForEach(&f),
            None,
        ))
    }

    /// The loop, on this path, with options: `Err` if it was stopped from outside (its stop
    /// token, timeout or deadline).
    #[track_caller]
    pub fn thread_loop_with<I, F, R, Stop>(
        self,
        input: I,
        settings: Loop<'_, Stop>,
        site: &'static LoopSite,
        f: F,
    ) -> Result<R, Stopped>
    where
        I: IntoIndexed,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        engine::drive_indexed(input, settings.settings(), Site::Loop(site), &ForEach(&f))
    }
}

/// The path of `Send` inputs: the calling thread and `workers - 1` pool threads pull the input
/// in turns.
pub struct Shared;

impl Shared {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    // In the caller's frame, also in a debug build: a recursion pays a frame of its own on
    // every level.
    #[inline(always)]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIterator,
        I::IntoIter: Send,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        crate::check_workers(workers);
        crate::never_stopped(engine::run_shared(
            input,
            workers,
            Site::Loop(site),
            &ForEach(&f),
            None,
        ))
    }

    /// The loop, on this path, with options: `Err` if it was stopped from outside (its stop
    /// token, timeout or deadline).
    #[track_caller]
    pub fn thread_loop_with<I, F, R, Stop>(
        self,
        input: I,
        settings: Loop<'_, Stop>,
        site: &'static LoopSite,
        f: F,
    ) -> Result<R, Stopped>
    where
        I: IntoIterator,
        I::IntoIter: Send,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        engine::drive_shared(input, settings.settings(), Site::Loop(site), &ForEach(&f))
    }
}

/// The path of any input: the calling thread pulls it, `workers` pool threads run the
/// iterations.
pub struct Fed;

impl Fed {
    /// The loop, on this path.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, at the caller's loop.
    #[track_caller]
    // In the caller's frame, also in a debug build: a recursion pays a frame of its own on
    // every level.
    #[inline(always)]
    pub fn thread_loop<I, F, R>(self, input: I, workers: usize, site: &'static LoopSite, f: F) -> R
    where
        I: IntoIterator,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        crate::check_workers(workers);
        crate::never_stopped(engine::run_fed(
            input,
            workers,
            Site::Loop(site),
            &ForEach(&f),
            None,
        ))
    }

    /// The loop, on this path, with options: `Err` if it was stopped from outside (its stop
    /// token, timeout or deadline).
    #[track_caller]
    pub fn thread_loop_with<I, F, R, Stop>(
        self,
        input: I,
        settings: Loop<'_, Stop>,
        site: &'static LoopSite,
        f: F,
    ) -> Result<R, Stopped>
    where
        I: IntoIterator,
        I::Item: SendItem,
        F: Fn(I::Item) -> R + Sync,
        R: LoopStep<Exit: SendExit>,
    {
        engine::drive_fed(input, settings.settings(), Site::Loop(site), &ForEach(&f))
    }
}

/// A loop's `workers = ..` value, checked where the loop is written: 0 panics there with the
/// contract's message. The rewrite calls this with the loop's own span, which
/// `#[track_caller]` reports; every span of the expansion itself is reported as the
/// attribute's.
#[track_caller]
#[inline(always)]
pub fn workers(workers: usize) -> usize {
    crate::check_workers(workers);
    workers
}

/// What `stop = ..` takes: a [`StopToken`](crate::StopToken), or anything that dereferences
/// to one (a reference, an `Arc`, a `LazyLock`).
#[diagnostic::on_unimplemented(
    message = "`stop` takes a `failfast::StopToken`, not `{Self}`",
    label = "not a `failfast::StopToken`",
    note = "create a `let token = failfast::StopToken::new();`, pass `stop = &token` (or a `&StopToken` argument), and call `token.stop()` from wherever the loop should be stopped: a clone shares its state, so a Ctrl-C handler can hold one (`ctrlc::set_handler(move || token.stop())`), and a `tokio_util` `CancellationToken` can be bridged with a task that awaits `cancelled()` and then stops it"
)]
pub trait AsStopToken {
    /// The token.
    fn stop_token(&self) -> &crate::StopToken;
}

// Not offered in the error ("the trait is implemented for `StopToken`", quoting this line):
// the message says what to pass.
#[diagnostic::do_not_recommend]
impl AsStopToken for crate::StopToken {
    fn stop_token(&self) -> &crate::StopToken {
        self
    }
}

// Anything that dereferences to a token, through any number of references and smart pointers
// (`&StopToken`, `&Arc<StopToken>`, a `static LazyLock<StopToken>`): what coerces to
// `&StopToken` where a reference is expected, which the cast to `dyn AsStopToken` does not do
// by itself.
#[diagnostic::do_not_recommend]
impl<T> AsStopToken for T
where
    T: std::ops::Deref + ?Sized,
    T::Target: AsStopToken,
{
    fn stop_token(&self) -> &crate::StopToken {
        (**self).stop_token()
    }
}

/// The token that `stop = ..` gives, evaluated once when the loop starts. Taken as a trait
/// object rather than through a type parameter, so that rustc's error quotes no line of this
/// crate ("required by a bound in ..").
pub fn stop_token<'a>(token: &'a (dyn AsStopToken + 'a)) -> &'a crate::StopToken {
    token.stop_token()
}

/// A thread `while let` loop: the calling thread evaluates `head`, one value at a time and
/// only when a thread is free to start the value at once (never more than `workers`
/// iterations run), and `workers` pool threads run the iterations.
///
/// The rewrite writes the head as `|slot| { match HEAD { v @ SHAPE => *slot = Some(v), _ => {} }
/// LoopStep::success() }`: it returns the iterations' own type, so that `?` and `return` in the
/// head leave the loop as they would in the body, and a value left in `slot` is the next
/// iteration's input (none: the head did not match, the input has ended).
///
/// # Panics
///
/// If `workers` is 0, at the caller's loop.
#[track_caller]
pub fn while_let<T, H, F, R>(head: H, workers: usize, site: &'static LoopSite, f: F) -> R
where
    H: FnMut(&mut Option<T>) -> R,
    T: SendItem,
    F: Fn(T) -> R + Sync,
    R: LoopStep<Exit: SendExit>,
{
    crate::check_workers(workers);
    crate::never_stopped(engine::run_head(
        pull_head(head),
        workers,
        Site::Loop(site),
        &ForEach(&f),
        None,
    ))
}

/// [`while_let`] with options: `Err` if it was stopped from outside (its stop token, timeout
/// or deadline), and then the head is not evaluated again.
#[track_caller]
pub fn while_let_with<T, H, F, R, Stop>(
    head: H,
    settings: Loop<'_, Stop>,
    site: &'static LoopSite,
    f: F,
) -> Result<R, Stopped>
where
    H: FnMut(&mut Option<T>) -> R,
    T: SendItem,
    F: Fn(T) -> R + Sync,
    R: LoopStep<Exit: SendExit>,
{
    engine::drive_head(
        pull_head(head),
        settings.settings(),
        Site::Loop(site),
        &ForEach(&f),
    )
}

/// The head as the rewrite writes it, as the engine evaluates it.
fn pull_head<T, H, R>(mut head: H) -> impl FnMut() -> engine::Pulled<T, R::Exit>
where
    H: FnMut(&mut Option<T>) -> R,
    R: LoopStep,
{
    move || {
        let mut slot = None;
        match head(&mut slot).into_exit() {
            Some(exit) => engine::Pulled::Exit(exit),
            None => slot.map_or(engine::Pulled::End, engine::Pulled::Value),
        }
    }
}

/// How a loop's first exit leaves the function (or closure, or async block) around it:
/// `Self` is its return type, `R` what the loop's iterations return. The rewrite ends a loop
/// with `if let Some(v) = ExitsThrough::exit(outcome) { return v; }`, which also gives the
/// iterations their type (`Result<T, E>` gives `Result<ControlFlow<T>, E>`), so that `?` in
/// the body converts errors with `From` as in the sequential loop.
///
/// Not implemented when the function returns something else than `Result`, `Option` or `()`,
/// nor when an iteration returns the function's own type: a macro in the body that expands to
/// `return Ok(..)` (rustc cannot tell it from the end of an iteration). The message says both.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` of this parallel loop cannot leave through `{Self}`",
    label = "the loop's first failure or `return` leaves through here",
    note = "the function (or closure) around a `#[fail_fast]` loop returns `Result`, `Option` or `()`: the loop's first failure leaves it the way `?` would",
    note = "a macro in the loop's body may `return Err(..)`, as `bail!` does, but not `return Ok(..)`, `return Some(..)` or `return;`: write that `return` in the loop's body itself, or end the iteration with `continue`"
)]
pub trait ExitsThrough<R>: Sized {
    /// What the function returns when the loop's outcome is an exit.
    fn exit(outcome: R) -> Option<Self>;
}

// One impl for every type, so that rustc names no other impl ("but `ExitsThrough<..>` is
// implemented for it") in the error.
#[diagnostic::do_not_recommend]
impl<Ret: Fallible, R> ExitsThrough<R> for Ret
where
    Ret::Iteration: Same<R>,
{
    fn exit(outcome: R) -> Option<Self> {
        Ret::exit(Same::same(outcome))
    }
}

/// [`ExitsThrough`], for a loop whose body has no `return` (nor a macro that may hide one):
/// its iterations return `<Self as Fallible>::Failing` (`Result<(), E>`), so that rustc's
/// errors about a `?` in the body name the function's error type and nothing else.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` of this parallel loop cannot leave through `{Self}`",
    label = "the loop's first failure or `return` leaves through here",
    note = "the function (or closure) around a `#[fail_fast]` loop returns `Result`, `Option` or `()`: the loop's first failure leaves it the way `?` would"
)]
pub trait FailsThrough<R>: Sized {
    /// What the function returns when the loop has failed.
    fn failed(outcome: R) -> Option<Self>;
}

#[diagnostic::do_not_recommend]
impl<Ret: Fallible, R> FailsThrough<R> for Ret
where
    Ret::Failing: Same<R>,
{
    fn failed(outcome: R) -> Option<Self> {
        Ret::failed(Same::same(outcome))
    }
}

/// [`ExitsThrough`], when the body calls a macro that may expand to a `return` (one that is not
/// the standard library's, anyhow's, log's or tracing's): the error is put on that call, and
/// says that the `return` it may hold is the cause only if it returns `Ok(..)` or `Some(..)`,
/// since the function's own return type may be the cause instead.
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` of this parallel loop cannot leave through `{Self}`",
    label = "if this macro expands to a `return` other than `return Err(..)`, that `return` is the cause",
    note = "the function (or closure) around a `#[fail_fast]` loop returns `Result`, `Option` or `()`: the loop's first failure leaves it the way `?` would",
    note = "a macro in the loop's body may `return Err(..)`, as `bail!` does, but not `return Ok(..)`, `return Some(..)` or `return;`: write that `return` in the loop's body itself, or end the iteration with `continue`"
)]
pub trait ExitsPastMacro<R, How>: Sized {
    /// What the function returns when the loop's outcome is an exit.
    fn exit(outcome: R) -> Option<Self>;
}

#[diagnostic::do_not_recommend]
impl<Ret: Fallible, R> ExitsPastMacro<R, Tried> for Ret
where
    Ret::Iteration: Same<R>,
{
    fn exit(outcome: R) -> Option<Self> {
        Ret::exit(Same::same(outcome))
    }
}

#[diagnostic::do_not_recommend]
impl<Ret, R> ExitsPastMacro<R, Return> for Ret
where
    ControlFlow<Ret>: Same<R>,
{
    fn exit(outcome: R) -> Option<Self> {
        broke(Same::same(outcome))
    }
}

/// [`ExitsThrough`], when the body calls several macros that may expand to a `return`: the
/// error is put on the first, and says that the cause may be another one (which of them
/// returns is not known to the rewrite).
#[diagnostic::on_unimplemented(
    message = "the first failure or `return` of this parallel loop cannot leave through `{Self}`",
    label = "if this macro, or another one this loop's body calls, expands to a `return` other than `return Err(..)`, that `return` is the cause",
    note = "the function (or closure) around a `#[fail_fast]` loop returns `Result`, `Option` or `()`: the loop's first failure leaves it the way `?` would",
    note = "a macro in the loop's body may `return Err(..)`, as `bail!` does, but not `return Ok(..)`, `return Some(..)` or `return;`: write that `return` in the loop's body itself, or end the iteration with `continue`"
)]
pub trait ExitsPastMacros<R, How>: Sized {
    /// What the function returns when the loop's outcome is an exit.
    fn exit(outcome: R) -> Option<Self>;
}

#[diagnostic::do_not_recommend]
impl<Ret: Fallible, R> ExitsPastMacros<R, Tried> for Ret
where
    Ret::Iteration: Same<R>,
{
    fn exit(outcome: R) -> Option<Self> {
        Ret::exit(Same::same(outcome))
    }
}

#[diagnostic::do_not_recommend]
impl<Ret, R> ExitsPastMacros<R, Return> for Ret
where
    ControlFlow<Ret>: Same<R>,
{
    fn exit(outcome: R) -> Option<Self> {
        broke(Same::same(outcome))
    }
}

/// How a loop's iterations leave, for [`ExitsPastMacro`] and [`ExitsPastMacros`]: with `?`
/// (through [`Fallible`]: `Result<ControlFlow<T>, E>` for a function returning `Result<T, E>`).
pub enum Tried {}

/// How a loop's iterations leave, for [`ExitsPastMacro`] and [`ExitsPastMacros`]: with
/// `return` alone (`ControlFlow<Ret>`, for a loop with no `?` in a function returning any
/// `Ret`). Without a user's macro in the body, the rewrite matches `ControlFlow::Break`
/// itself; with one, it ties through these, so that a `return;` the macro writes is reported
/// at its call rather than as a mismatch naming `ControlFlow`.
pub enum Return {}

/// The value of a `ControlFlow::Break`: the loop's `return`.
fn broke<Ret>(outcome: ControlFlow<Ret>) -> Option<Ret> {
    match outcome {
        ControlFlow::Break(value) => Some(value),
        ControlFlow::Continue(()) => None,
    }
}

/// What an iteration's body, run once in a loop so that a `continue` a macro expands to ends
/// the iteration, gives that loop: a `break` a macro expands to gives it `()` first, and
/// rustc's "expected `()`, found `ParallelLoopsHaveNoBreak`" (at `for`, pointing at that
/// `break`) says why it is refused.
pub struct ParallelLoopsHaveNoBreak;

/// `Self` and `T` are one type: a bound that gives an unknown `T` its type from `Self`, and
/// fails as a bound (with [`ExitsThrough`]'s message) rather than as a type mismatch.
pub trait Same<T> {
    /// `x` as `Self`.
    fn same(x: T) -> Self;
}

impl<T> Same<T> for T {
    #[inline(always)]
    fn same(x: T) -> T {
        x
    }
}

/// `true`, opaquely: the rewrite runs a body as `if always() { BODY }` so that a body that
/// always returns (or is `todo!()`) does not make the iteration's closing `success()`
/// "unreachable" in rustc's eyes, which the sequential loop would not warn about.
#[inline(always)]
pub fn always() -> bool {
    true
}
