//! The one walk over a function (or a marked loop) that finds its parallel loops and describes
//! each as a [`ParallelLoop`]: what kind it is, where its exit goes, and its body with its own
//! jumps already resolved. `check` reports misuse from that description; `expand` writes code
//! from it. Neither walks the syntax again to resolve a `continue` or a `return`.
//!
//! Loops are described innermost first: when the walk meets a marked loop inside a parallel
//! loop's body, it hands the inner loop's description to the later phases ([`Phases`]) and
//! puts the code they return in the outer body before the outer loop is finished. This module
//! calls neither `check` nor `expand`: they implement [`Phases`].

use crate::args::Options;
use crate::captures::{Locals, Mutable, Shared, Used};
use crate::changes;
use crate::find::{describe, expr_attrs_mut, is_marker, is_while_let, while_let_head};
use crate::kept::{self, Kept};
use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{HashMap, HashSet};
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{
    Attribute, Block, Expr, ExprForLoop, ExprReturn, ExprWhile, Ident, Item, Label, Lifetime, Pat,
    ReturnType, Signature, Type,
};

/// What the walk needs from the phases after it, as it meets each parallel loop (innermost
/// first) and each of its jumps.
pub(crate) trait Phases {
    /// A `continue` (at `at`) that ends an iteration of `of`.
    fn end_iteration(&self, of: &LoopAt, at: Span) -> Expr;
    /// A `return` in the body of `of`, its value already walked, from a function (or closure)
    /// whose return type is `written`, where it is.
    fn early_return(&self, of: &LoopAt, ret: &ExprReturn, written: Option<&Type>) -> Expr;
    /// A `return Err(..)` in the body of `of` that only fails (see [`failure_returns`]), its
    /// value already walked, from a function (or closure) whose return type is `written`.
    fn failure_return(&self, of: &LoopAt, ret: &ExprReturn, written: &Type) -> Expr;
    /// A check, for a statement before the one in the body of `of` that has this method call
    /// on a place declared outside the body (`self.items.push(x)`), if the method may change
    /// the place.
    fn changed_shared(&self, of: &LoopAt, call: &syn::ExprMethodCall) -> Option<syn::Stmt>;
    /// The code of a described loop (once checked).
    fn parallel_loop(&mut self, described: ParallelLoop) -> Expr;
    /// For the variables that `of` keeps for its first `return` (see `kept`): the statement
    /// before the loop that moves them into their cell, and the ones after it that give back
    /// those the code after the loop uses.
    fn keep(&self, of: &LoopAt, kept: &[Kept]) -> (syn::Stmt, Vec<syn::Stmt>);
    /// Where a `return` of the body of `of` moves some of the variables it keeps (`moved`, in
    /// the order they are kept, `None` for those it does not move): the statement that binds
    /// them, taken from the cell, or else ends the iteration (an earlier `return` took them).
    fn take_kept(&self, of: &LoopAt, moved: &[Option<Ident>]) -> syn::Stmt;
    /// A `#[fail_fast]` marker on `what`, which is not a `for` loop.
    fn misplaced(&mut self, marker: &Attribute, what: &str);
}

/// A loop that runs in parallel, as written: a `for` loop, or a `while let` loop whose head is
/// its input.
#[derive(Clone)]
pub(crate) enum LoopSyntax {
    For(ExprForLoop),
    WhileLet(ExprWhile),
}

impl LoopSyntax {
    /// `expr` as a loop that can run in parallel, if it is one: a `for` loop, or a `while let`
    /// loop (its condition a `let`, or a let chain).
    pub(crate) fn of(expr: Expr) -> Option<LoopSyntax> {
        match expr {
            Expr::ForLoop(for_loop) => Some(LoopSyntax::For(for_loop)),
            Expr::While(while_loop) if is_while_let(&while_loop.cond) => {
                Some(LoopSyntax::WhileLet(while_loop))
            }
            _ => None,
        }
    }

    pub(crate) fn attrs_mut(&mut self) -> &mut Vec<Attribute> {
        match self {
            LoopSyntax::For(for_loop) => &mut for_loop.attrs,
            LoopSyntax::WhileLet(while_loop) => &mut while_loop.attrs,
        }
    }

    pub(crate) fn body_mut(&mut self) -> &mut Block {
        match self {
            LoopSyntax::For(for_loop) => &mut for_loop.body,
            LoopSyntax::WhileLet(while_loop) => &mut while_loop.body,
        }
    }

    pub(crate) fn into_expr(self) -> Expr {
        match self {
            LoopSyntax::For(for_loop) => Expr::ForLoop(for_loop),
            LoopSyntax::WhileLet(while_loop) => Expr::While(while_loop),
        }
    }
}

/// Where a parallel loop's items come from.
pub(crate) enum Source {
    /// `for PAT in INPUT`: the input, evaluated once by the code around the loop.
    Input(Expr),
    /// `while let PAT = HEAD`: the head, evaluated by the loop once per item, with its own
    /// `return`s rewritten as the body's are.
    Head(Expr),
}

/// The parallel loop that a jump or a method call in its body belongs to.
pub(crate) struct LoopAt {
    pub(crate) options: Options,
    /// Its `for` keyword.
    pub(crate) span: Span,
    pub(crate) kind: Kind,
    /// Its place among the function's parallel loops, in the order the walk begins them: the
    /// names the rewrite gives a loop's own variables are unique with it.
    pub(crate) number: usize,
    /// Whether a user's macro in its body (or head) may hide a `return` of its own (see
    /// `ParallelLoop::user_macros`).
    pub(crate) past_macros: bool,
}

/// Where a parallel loop's first exit (failure or `return`) goes.
#[derive(Clone)]
pub(crate) enum Exit {
    /// Out of the function the attribute is on.
    Function,
    /// Out of a closure, with its written return type, if any.
    Closure {
        output: ReturnType,
        /// Whether its body ends with a value (`Ok::<(), E>(())`), from which rustc infers a
        /// return type that is not written, as it does for an async block.
        tail: bool,
    },
    /// Out of an async block.
    AsyncBlock,
    /// Out of the iteration of the parallel loop whose body holds this one, which hands it on.
    ParallelLoop,
}

/// How the iterations run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// On threads: the body is a closure.
    Thread,
    /// As futures on the awaiting task: the body is an async block.
    Async,
}

/// The type the iterations return, decided for a whole chain of loops nested directly in one
/// another (they hand exits to each other, so they share it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `<Ret as Fallible>::Iteration`: `?` converts errors into the function's error type.
    Fallible,
    /// `ControlFlow<Ret>`: no `?`, so the function may return anything; only `return` exits.
    Returns,
}

/// A `break` or `continue` in the body that the parallel loop cannot honour.
pub(crate) struct BadJump {
    pub(crate) keyword: &'static str,
    pub(crate) label: Option<Lifetime>,
    pub(crate) span: Span,
    /// Whether it targets the parallel loop itself (`break`), rather than a loop outside it.
    pub(crate) targets_parallel_loop: bool,
}

/// One parallel loop, as `check` and `expand` see it.
pub(crate) struct ParallelLoop {
    pub(crate) marker: Attribute,
    pub(crate) options: Options,
    /// Its outer attributes other than the marker (`#[cfg]`, `#[allow]`).
    pub(crate) attrs: Vec<Attribute>,
    /// The `for` (or `while`) keyword: generated code is located here.
    pub(crate) span: Span,
    pub(crate) pat: Pat,
    pub(crate) source: Source,
    /// Whether the input may hold a closure of the function that captures something, whose
    /// `Send` rustc cannot tell while it picks the loop's path (see `captures`).
    pub(crate) input_holds_closure: bool,
    /// When the input holds closures: the locals they may capture, if those are all that may
    /// make it not `Send` (see `Locals::captured_by_input`).
    pub(crate) input_captures: Option<Vec<String>>,
    /// The places declared outside the loop that its body uses: a thread loop's iterations
    /// share them.
    pub(crate) shared: Vec<Shared>,
    /// The variables declared outside the loop that a `return` or `?` of its body moves out
    /// (see `captures::Used::moved`).
    pub(crate) moved: Vec<Ident>,
    /// Those of `moved` whose type only code after the loop may give (`Default::default()`,
    /// `.into()`): their check may not pick a type for them (see `expand::moved_check`).
    pub(crate) moved_untyped: Vec<Ident>,
    /// Those of `moved` that a `return` hands back whole into a written `&mut` of the exit
    /// (`return Ok(self)` under `-> Result<&mut Self, E>`, see [`handed_back`]): a `&mut`
    /// there is moved, not reborrowed, so their check lets no `&mut` through (see
    /// `expand::moved_check`).
    pub(crate) handed_back: Vec<Ident>,
    /// The places declared outside the loop that a `return` or `?` of its body moves out
    /// and `moved` leaves out (see `captures::Used::moved_by_return`).
    pub(crate) moved_by_return: Vec<Expr>,
    /// The places declared outside the loop that its body's own flow moves out elsewhere
    /// (see `captures::Used::moved_by_iteration`).
    pub(crate) moved_by_iteration: Vec<Expr>,
    /// An async loop's: the variables declared outside it that it lends its iterations, so
    /// that its future is `Send` when the sequential loop's would be (see
    /// `captures::Used::lendable`).
    pub(crate) lent: Vec<Ident>,
    /// The places rooted at `self` that a `while let` loop's head takes its items from and the
    /// body uses too, each with the rewrite's method that asks rustc about it (see
    /// `races::self_taken_and_used`).
    pub(crate) head_taken: Vec<(Expr, &'static str)>,
    /// The variables in scope at the loop that the body could change (see
    /// `Locals::mutable_at`); `None` when the function cannot be seen: any may be.
    pub(crate) mutable: Option<Mutable>,
    /// The body as the user wrote it: `check` looks for data races in it.
    pub(crate) written_body: Block,
    /// The body with its own `continue`s and `return`s rewritten and inner parallel loops
    /// expanded.
    pub(crate) body: Block,
    pub(crate) kind: Kind,
    pub(crate) exit: Exit,
    /// Whether the type the exit leaves through is written where rustc reads it before the
    /// loop (a function's or a closure's return type, with no `impl Trait`): then the rewrite
    /// may check its parts (the `Err` of a `Result`) for crossing threads.
    pub(crate) exit_typed: bool,
    /// Whether that type is an alias that hides what the exit carries (`Result<()>`, `Res<T>`:
    /// a path with fewer than two arguments, other than `Option`; or a `Result` whose error is a
    /// bare name, `Result<(), BoxError>`, which may be one), or holds a boxed trait object
    /// that is not `Send` (`Option<Box<dyn Shape>>`): then the rewrite checks it with the message of
    /// `failfast_runtime::rewrite::SendBack`, as rustc would report a part deep inside it
    /// (`dyn Error` in `Box<dyn Error>`) otherwise.
    pub(crate) exit_aliased: bool,
    /// Whether no type parameter is in sight of the loop: its function has none, no `impl
    /// Trait` parameter and no `self` (whose type's may be). Then the rewrite checks its items
    /// with the message of `failfast_runtime::rewrite::SendToWorkers`, as rustc would report a
    /// part deep inside them (`dyn Trait` in `Arc<dyn Trait>`) otherwise, and has no bound to
    /// suggest.
    pub(crate) concrete: bool,
    /// Whether a type parameter of the function's own is in sight of the loop: a generic or an
    /// `impl Trait` parameter, or one a parameter's or the return type mentions (not `self`'s
    /// type, whose parameters, if any, the macro does not see). Then rustc can follow a
    /// check to that parameter and suggest its bound.
    pub(crate) generic: bool,
    /// Whether the type of the items (or a `while let` head's values) is known where the loop
    /// begins, as far as the macro can tell: then the rewrite may check the parts its pattern
    /// moves out (see `failfast_runtime::rewrite::Whole`). Not when the input uses a local
    /// whose type a later use gives (`let mut stack = Vec::new()`).
    pub(crate) items_typed: bool,
    pub(crate) flavor: Flavor,
    /// Whether the body (or head), nested parallel loops included, holds a `return` (also one
    /// in a closure's marked loop, which is the closure's: counted to err on "has"). Without
    /// one, and without a user's macro that may hide one, a [`Flavor::Fallible`] loop's
    /// iterations return `<Ret as Fallible>::Failing` (`Result<(), E>`): rustc's errors about
    /// a `?` in the body then name the function's error type, as in the sequential loop.
    pub(crate) returns: bool,
    /// `.await`s in the body, and in a `while let` loop's head (outside closures and async
    /// blocks).
    pub(crate) awaits: Vec<Span>,
    /// Whether the body (or a `while let` loop's head) has a `?`, or a macro that may hide one.
    pub(crate) tries: bool,
    /// The macro calls in the body (and head) that may expand to a `return` or a `continue`
    /// (not the standard library's, anyhow's, log's or tracing's), in source order: rustc's
    /// error about a `return Ok(..)` one of them expands to is put on the first.
    pub(crate) user_macros: Vec<Span>,
    /// Whether the loop is in async code, where `.await` is possible.
    pub(crate) in_async: bool,
    pub(crate) bad_jumps: Vec<BadJump>,
    /// Whether an iteration may end the loop: the body (or head), nested loops included, has a
    /// `?`, a `return`, a macro other than the standard library's printing, formatting,
    /// asserting and collecting ones (whose names a user's macro could still take), or a
    /// marked loop. A loop that cannot end early carries nothing back from its iterations, so
    /// the function's error (or return) type need not be `Send`, as in the sequential loop.
    pub(crate) may_exit: bool,
}

/// What the walk knows about the code around it.
#[derive(Clone)]
struct Context {
    exit: Exit,
    in_async: bool,
    /// The written return type the exit goes through, for the flavor.
    returns: Option<ReturnType>,
}

/// The jumps of the parallel loop whose body is being walked.
struct Jumps {
    parallel_label: Option<Ident>,
    /// Labels of the loops and blocks inside the body around the current expression.
    labels: Vec<Ident>,
    /// Loops inside the body around the current expression: an unlabeled `break` or
    /// `continue` in them is theirs.
    nested_loops: usize,
    bad: Vec<BadJump>,
    of: LoopAt,
    /// The names the body binds anywhere (see [`changes::bound_in`]); `None` while the walk is in a
    /// `while let` loop's head, which changes what it uses on its own.
    body_binds: Option<HashSet<String>>,
    /// The variables the loop keeps for its first `return` (see `kept`).
    kept: Vec<Kept>,
}

/// The whole walk: the function's defaults, the later phases, and the parallel loop being
/// walked.
pub(crate) struct Walk<'a> {
    defaults: &'a Options,
    locals: Locals,
    context: Context,
    jumps: Option<Jumps>,
    phases: &'a mut dyn Phases,
    /// The checks of the changes met in the statement being walked (see
    /// [`Phases::changed_shared`]), each with the names its place uses: they go before the
    /// statement, unless it binds one of those names.
    checks: Vec<(syn::Stmt, HashSet<String>)>,
    /// What the next block the walk enters owns from before it, that a loop may keep: the
    /// function's parameters, or an `async move` block's captures (see [`kept::Owned`]).
    owned: Option<kept::Owned>,
    /// What the blocks of the `if` or plain block that the walk is about to enter own from
    /// the block around them (see [`kept::Owned::Enclosing`]).
    enclosing: Option<kept::Owned>,
    /// The variables that the loop of the statement being walked keeps (see `kept`), for
    /// [`Walk::parallel_loop`]; then the statements that keep them, for the block.
    keeping: Vec<Kept>,
    kept_stmts: Option<(syn::Stmt, Vec<syn::Stmt>)>,
    /// How many parallel loops the walk has begun (see [`LoopAt::number`]).
    loops: usize,
    /// How many `return`s of parallel loops' bodies the walk has rewritten (see
    /// [`ParallelLoop::returns`]).
    returns: usize,
    /// In a loop whose every `return` is a failure (see [`failure_returns`]): the loop only
    /// fails, and they are the iterations' failures.
    failure_returns: Option<Failure>,
    /// The function's signature, where the walk sees it.
    signature: Option<Signature>,
    /// The next block the walk enters is a parallel loop's body (not an exit block: see
    /// `kept::exit_block`).
    body_root: bool,
    /// Inside an exit block, which takes the variables its loop keeps at its first statement
    /// that names one: its `return`s and `bail!`s find them bound.
    kept_taken: bool,
}

/// What a function's or a closure's body owns from before its first statement: its
/// parameters bound by name, with their types (not a lock's guard), each with whether it is
/// `mut` (see [`kept::Owned::Params`]).
fn owned_params<'p>(params: impl Iterator<Item = (&'p Pat, &'p Type)>) -> HashMap<String, bool> {
    params
        .filter_map(|(pat, ty)| match pat {
            Pat::Ident(ident)
                if ident.by_ref.is_none() && ident.subpat.is_none() && !kept::guard_type(ty) =>
            {
                let name = syn::ext::IdentExt::unraw(&ident.ident).to_string();
                Some((name, ident.mutability.is_some()))
            }
            _ => None,
        })
        .collect()
}

/// The failure of a function's written return type (see [`failure_returns`]).
#[derive(Clone)]
enum Failure {
    /// `return Err(..)` of a `Result` (`Result<T, E>`, `io::Result<T>`), with that type.
    Err(Box<Type>),
    /// `return Err(..)` where the type is not written before the loop: a closure's that is
    /// inferred, or a function's `Result<impl Trait, E>`, which a `let` cannot name. The
    /// `return` stays as written: its `Err(..)` is the iteration's failure, whose type the
    /// loop ties to the type the closure or function leaves through.
    ErrUntyped,
    /// `return None` of an `Option<T>`.
    None,
}

impl<'a> Walk<'a> {
    /// A walk over the body of `signature`'s function, or over a marked loop (the nightly
    /// form) when there is no signature.
    pub(crate) fn new(
        defaults: &'a Options,
        signature: Option<&Signature>,
        locals: Locals,
        phases: &'a mut dyn Phases,
    ) -> Self {
        Walk {
            defaults,
            locals,
            phases,
            context: Context {
                exit: Exit::Function,
                // The loop form cannot see its function: a body that awaits is taken to be in
                // async code, and rustc says so in its own words if it is not.
                in_async: signature.is_none_or(|sig| sig.asyncness.is_some()),
                returns: signature.map(|sig| sig.output.clone()),
            },
            jumps: None,
            checks: Vec::new(),
            owned: signature.map(|sig| {
                let mut params = owned_params(sig.inputs.iter().filter_map(|input| match input {
                    syn::FnArg::Typed(typed) => Some((&*typed.pat, &*typed.ty)),
                    syn::FnArg::Receiver(_) => None,
                }));
                // `self` taken by value (or in a `Box<Self>`), or as a `&mut Self`, is owned as
                // a parameter is: a `return` may move it (`return Ok(self)`). Not a `&Self`,
                // which is `Copy`.
                if let Some(syn::FnArg::Receiver(receiver)) = sig.inputs.first() {
                    let shared = match &*receiver.ty {
                        Type::Reference(reference) => reference.mutability.is_none(),
                        _ => false,
                    };
                    if !shared {
                        // `&mut self`'s `mut` is the reference's, not the binding's.
                        let binding_mut =
                            receiver.reference.is_none() && receiver.mutability.is_some();
                        params.insert("self".to_string(), binding_mut);
                    }
                }
                kept::Owned::Params(params)
            }),
            enclosing: None,
            keeping: Vec::new(),
            kept_stmts: None,
            loops: 0,
            returns: 0,
            failure_returns: None,
            signature: signature.cloned(),
            body_root: false,
            kept_taken: false,
        }
    }

    /// The loop form's: describes the loop the attribute is on; its code, from the later
    /// phases, after the statement that keeps its variables for its first `return`, if it
    /// keeps any (see `kept::Owned::Unseen`).
    pub(crate) fn loop_alone(&mut self, syntax: LoopSyntax, marker: Attribute) -> Expr {
        self.keeping = kept::keepable(
            &syntax.clone().into_expr(),
            &[],
            &[],
            Some(&kept::Owned::Unseen),
            self.defaults.values_tokens(),
        );
        let looped = self.parallel_loop(syntax, marker);
        match self.kept_stmts.take() {
            // Nothing to give back: `after` is empty (see `kept::Owned::Unseen`).
            Some((before, _)) => syn::parse_quote!({ #before #looped }),
            None => looped,
        }
    }

    /// Describes one marked loop; its code, from the later phases.
    pub(crate) fn parallel_loop(&mut self, syntax: LoopSyntax, marker: Attribute) -> Expr {
        let keeping = std::mem::take(&mut self.keeping);
        self.loops += 1;
        let (attrs, label, span, pat, mut source, mut body) = match syntax {
            LoopSyntax::For(for_loop) => (
                for_loop.attrs,
                for_loop.label,
                for_loop.for_token.span,
                *for_loop.pat,
                Source::Input(*for_loop.expr),
                for_loop.body,
            ),
            LoopSyntax::WhileLet(while_loop) => {
                let (pat, head, body) = while_let_head(&while_loop.cond, &while_loop.body);
                (
                    while_loop.attrs,
                    while_loop.label,
                    while_loop.while_token.span,
                    pat,
                    Source::Head(head),
                    body,
                )
            }
        };
        let options = self.defaults.overridden_by(&Options::of_marker(&marker));
        let written_body = body.clone();
        let items_typed = match &source {
            Source::Input(input) => !self.locals.may_be_untyped(input),
            Source::Head(head) => !self.locals.may_be_untyped(head),
        };
        let (input_holds_closure, head_facts) = match &source {
            Source::Input(input) => (self.locals.may_hold_capturing_closure(input), None),
            Source::Head(head) => (false, Some(Facts::of_expr(head))),
        };
        let input_captures = match &source {
            Source::Input(input) if input_holds_closure => {
                self.locals.captured_by_input(input, &pat, &body)
            }
            _ => None,
        };
        let Used {
            mut shared,
            mut moved,
            returned,
            mut moved_by_return,
            mut moved_by_iteration,
            lendable,
        } = self.locals.places_used(&pat, &body);
        // The checks come after the loop, where its body has settled the types its uses give;
        // a place whose type only code after the loop may give would get one from the check's
        // autoref first: left to rustc (as far as `Locals::may_be_untyped` sees, which errs
        // on "untyped"). Not a `return`'s, checked so since before (a `let` of a value built
        // with `.into()` is "untyped", and its move would get rustc's message again).
        moved_by_iteration.retain(|place| !self.locals.may_be_untyped(place));
        moved_by_return.retain(|place| !self.locals.may_be_untyped(place));
        // What the loop keeps, its body no longer uses.
        let is_kept = |name: &Ident| keeping.iter().any(|kept| kept.name == *name);
        moved.retain(|name| !is_kept(name));
        let kept_root = |place: &Expr| crate::captures::place_root(place).is_some_and(is_kept);
        moved_by_iteration.retain(|place| !kept_root(place));
        moved_by_return.retain(|place| !kept_root(place));
        shared.retain(|shared| !kept_root(&shared.place));
        let head_taken = match &source {
            Source::Head(head) => crate::races::self_taken_and_used(head, &body),
            Source::Input(_) => Vec::new(),
        };
        let mutable = self.locals.mutable_at(&pat, &body);
        let mut facts = Facts::of(&body);
        if let Some(head) = head_facts {
            facts.returns_in_macros |= head.returns_in_macros;
            facts.awaits.extend(head.awaits);
            facts.awaiting_macros |= head.awaiting_macros;
            facts.joining_macros |= head.joining_macros;
            facts.tries |= head.tries;
            facts.may_hide_exits |= head.may_hide_exits;
            facts.user_macros.extend(head.user_macros);
        }
        let in_async = self.context.in_async;
        let awaits = !facts.awaits.is_empty()
            || facts.awaiting_macros
            || facts.joining_macros && options.workers.is_some();
        let kind = if in_async && awaits {
            Kind::Async
        } else {
            Kind::Thread
        };
        // Not what a `while let`'s head uses too (the loop borrows it as it pulls), nor what
        // a `return` moves or the loop keeps for one.
        let lent = match kind {
            Kind::Thread => Vec::new(),
            Kind::Async => {
                // A `for` loop's input is evaluated before the loans are taken (see
                // `expand::parallel_loop`); a `while let`'s head, while they are held.
                let in_source = match &source {
                    Source::Input(_) => HashSet::new(),
                    Source::Head(head) => {
                        crate::captures::idents(quote::ToTokens::to_token_stream(head))
                    }
                };
                // A `mut` one is left to rustc too: a change through a loan would be refused
                // with a worse message, and warned `mut` for nothing.
                let is_mut = |name: &Ident| {
                    mutable
                        .as_ref()
                        .is_none_or(|mutable| mutable.any.contains(&name.to_string()))
                };
                lendable
                    .into_iter()
                    .filter(|name| {
                        !in_source.contains(&name.to_string())
                            && !moved.contains(name)
                            && !is_kept(name)
                            && !is_mut(name)
                    })
                    .collect()
            }
        };
        // A closure's or async block's return type that is not written is inferred.
        let inferred = matches!(self.context.exit, Exit::Closure { .. } | Exit::AsyncBlock)
            && matches!(self.context.returns, None | Some(ReturnType::Default));
        // Whether every `return` is a failure: not for a loop nested in a parallel loop, whose
        // exits pass through, nor where a macro may hide a `return`.
        let all_failures = (!matches!(self.context.exit, Exit::ParallelLoop)
            && facts.user_macros.is_empty()
            && !facts.returns_in_macros)
            .then(|| failure_returns(self.context.returns.as_ref(), inferred, &source, &body))
            .flatten()
            .filter(|failure| match failure {
                Failure::Err(written) => !self.locals.declares_any(written),
                Failure::ErrUntyped | Failure::None => true,
            });
        let flavor = match self.context.exit {
            // The loop around decided for the whole chain: whatever it is, the exits are
            // handed on unchanged.
            Exit::ParallelLoop => Flavor::Fallible,
            _ if facts.tries || self.context.returns.as_ref().is_some_and(returns_fallible) => {
                Flavor::Fallible
            }
            // Every `return` is `return Err(..)`: the type inferred is a `Result`.
            _ if inferred && matches!(all_failures, Some(Failure::ErrUntyped)) => Flavor::Fallible,
            _ => Flavor::Returns,
        };
        // The input is evaluated by the code around the loop: its jumps are that code's.
        if let Source::Input(input) = &mut source {
            self.visit_expr_mut(input);
        }
        let returns = self.context.returns.clone();
        let outer = std::mem::replace(
            &mut self.context,
            Context {
                exit: Exit::ParallelLoop,
                // An async loop's iterations (and head) are async blocks; a thread loop's are
                // closures.
                in_async: kind == Kind::Async,
                returns,
            },
        );
        let outer_jumps = self.jumps.replace(Jumps {
            parallel_label: label.as_ref().map(|label| label.name.ident.clone()),
            labels: Vec::new(),
            nested_loops: 0,
            bad: Vec::new(),
            of: LoopAt {
                options: options.clone(),
                span,
                kind,
                number: self.loops,
                past_macros: !facts.user_macros.is_empty(),
            },
            body_binds: None,
            kept: Vec::new(),
        });
        let of = &self.jumps.as_ref().expect("set above").of;
        let kept_stmts = (!keeping.is_empty()).then(|| self.phases.keep(of, &keeping));
        self.jumps.as_mut().expect("set above").kept = keeping;
        // A head is evaluated by the loop, like an iteration: a `return` in it ends the loop.
        let returns_before = self.returns;
        let failure_returns = all_failures.filter(|_| flavor == Flavor::Fallible);
        // Its `return`s are all failures, which the walk counts as none (see `jump`).
        let returns_fail = failure_returns.is_some();
        let outer_failures = std::mem::replace(&mut self.failure_returns, failure_returns);
        if let Source::Head(head) = &mut source {
            self.visit_expr_mut(head);
        }
        if let Some(jumps) = &mut self.jumps {
            jumps.body_binds = Some(changes::bound_in(&pat, &written_body));
        }
        self.body_root = true;
        // A loop nested in an outer loop's exit block takes its own kept variables.
        let outer_taken = std::mem::replace(&mut self.kept_taken, false);
        self.visit_block_mut(&mut body);
        self.kept_taken = outer_taken;
        self.failure_returns = outer_failures;
        let jumps = std::mem::replace(&mut self.jumps, outer_jumps).expect("set above");
        self.context = outer;
        // A `&mut` that a `return` hands back into a written `&mut` of the exit is moved, not
        // reborrowed, so its check may not let a `&mut` through (see `expand::moved_check`).
        let handed_back: Vec<Ident> = match (&self.context.exit, &self.context.returns) {
            (Exit::Function | Exit::Closure { .. }, Some(ReturnType::Type(_, ty))) => returned
                .iter()
                .flat_map(|value| handed_back(value, ty))
                .collect(),
            _ => Vec::new(),
        };
        let (handed_back, moved): (Vec<Ident>, Vec<Ident>) = moved
            .into_iter()
            .partition(|name| handed_back.contains(name));
        let (moved_untyped, moved): (Vec<Ident>, Vec<Ident>) = moved
            .into_iter()
            .partition(|name| self.locals.seen_untyped(&syn::parse_quote!(#name)));
        // A marked loop in the body may leave through this loop's iterations in ways its
        // options hide (a `stop`, which they inherit from the function's, or a `?` in an
        // option's value); a macro may hide a `?` (see `Facts::may_hide_exits`).
        let returns = self.returns > returns_before || facts.returns_in_macros;
        // (A user's macro is one of those `may_hide_exits` counts.)
        let may_exit = facts.tries
            || returns_fail
            || returns
            || facts.may_hide_exits
            || crate::find::has_markers(&written_body);
        let described = ParallelLoop {
            marker,
            options,
            attrs,
            span,
            pat,
            source,
            input_holds_closure,
            input_captures,
            shared,
            moved,
            moved_untyped,
            handed_back,
            moved_by_return,
            moved_by_iteration,
            lent,
            head_taken,
            mutable,
            written_body,
            body,
            kind,
            exit: self.context.exit.clone(),
            exit_typed: exit_typed(&self.context),
            exit_aliased: exit_aliased(&self.context, self.signature.as_ref()),
            concrete: concrete(self.signature.as_ref()),
            generic: generic(self.signature.as_ref()),
            items_typed,
            flavor,
            returns,
            may_exit,
            awaits: facts.awaits,
            tries: facts.tries,
            user_macros: facts.user_macros,
            in_async,
            bad_jumps: jumps.bad,
        };
        let code = self.phases.parallel_loop(described);
        self.kept_stmts = kept_stmts;
        code
    }

    /// Within the body of a parallel loop: `continue`, `break` and `return` of that loop.
    fn jump(&mut self, expr: &mut Expr) -> bool {
        let Some(jumps) = &mut self.jumps else {
            return false;
        };
        match expr {
            Expr::Continue(jump) => {
                match jumps.target(jump.label.as_ref()) {
                    Target::Parallel => {
                        *expr = self
                            .phases
                            .end_iteration(&jumps.of, jump.continue_token.span);
                    }
                    Target::Inner => {}
                    Target::Outside => jumps.bad.push(BadJump {
                        keyword: "continue",
                        label: jump.label.clone(),
                        span: jump.continue_token.span,
                        targets_parallel_loop: false,
                    }),
                }
                true
            }
            Expr::Break(jump) => {
                let target = jumps.target(jump.label.as_ref());
                if target != Target::Inner {
                    jumps.bad.push(BadJump {
                        keyword: "break",
                        label: jump.label.clone(),
                        span: jump.break_token.span,
                        targets_parallel_loop: target == Target::Parallel,
                    });
                }
                if let Some(value) = &mut jump.expr {
                    self.visit_expr_mut(value);
                }
                true
            }
            Expr::Return(ret) => {
                if let Some(value) = &mut ret.expr {
                    self.visit_expr_mut(value);
                    // After the walk, which would take the iteration's end for a `return`.
                    self.take_kept(value);
                }
                // `return Err(e)` of a loop that only fails: the iteration's own failure, as
                // `Err(e)?` would be, without `?`'s conversion but with the coercion that the
                // function's `return` makes (`Box<E>` to `Box<dyn Error>`), through its written
                // type (also an alias's).
                if let Some(failure) = &self.failure_returns {
                    if let Failure::Err(written) = failure {
                        let of = &self.jumps.as_ref().expect("in a body").of;
                        *expr = self.phases.failure_return(of, ret, written);
                    }
                    return true;
                }
                let of = &self.jumps.as_ref().expect("in a body").of;
                // Not `!`, which a `let` cannot name on stable Rust, nor a type whose names
                // an item of the body may declare.
                // A type with `impl Trait` in it, written with `_` in its place: what is
                // written still coerces the value (`Box::new(e)` to a `Box<dyn Error>`).
                let written = match &self.context.returns {
                    Some(ReturnType::Type(_, ty))
                        if !matches!(**ty, Type::Never(_)) && !self.locals.declares_any(ty) =>
                    {
                        partly_written(ty)
                    }
                    _ => None,
                };
                *expr = self.phases.early_return(of, ret, written.as_ref());
                self.returns += 1;
                true
            }
            _ => false,
        }
    }

    /// The `return`s and `continue`s of the loop's own flow that a user wrote in the arms of
    /// a macro (`tokio::select! { r = f => { .. return Ok(x); } }`, crossbeam's `select!`):
    /// such a macro pastes an arm's code where it is called, so a `return` there leaves the
    /// iteration as one written in the body would, and is rewritten the same way. An arm is
    /// the block or the expression after a `=>` among the macro's own tokens, rewritten only
    /// if it parses as Rust and holds such a jump; anything else stays as written (and a
    /// `return Ok(..)` left there is refused at the call, see `Facts::returns_in_macros`).
    fn jumps_in_arms(&mut self, mac: &mut syn::Macro) {
        // Only `select!`'s arms: another macro may put an arm's code in a loop or a closure of
        // its own (`retry!(3 => { .. break; })`), whose jumps are not the body's.
        let select = mac
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "select" || last.ident == "select_biased");
        if self.jumps.is_none() || !select {
            return;
        }
        let jumps = |tokens: &TokenStream| {
            let idents = crate::captures::idents(tokens.clone());
            ["return", "continue", "break"]
                .iter()
                .any(|jump| idents.contains(*jump))
        };
        if !jumps(&mac.tokens) {
            return;
        }
        let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
        let mut at = 0;
        while at < tokens.len() {
            let arrow = matches!(
                (&tokens[at], tokens.get(at + 1)),
                (TokenTree::Punct(eq), Some(TokenTree::Punct(gt)))
                    if eq.as_char() == '=' && eq.spacing() == Spacing::Joint && gt.as_char() == '>'
            );
            if !arrow {
                out.push(tokens[at].clone());
                at += 1;
                continue;
            }
            out.extend(tokens[at..at + 2].iter().cloned());
            at += 2;
            match tokens.get(at) {
                Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                    let stream = group.stream();
                    let parsed = jumps(&stream)
                        .then(|| syn::parse::Parser::parse2(Block::parse_within, stream).ok())
                        .flatten();
                    match parsed {
                        Some(stmts) => {
                            let mut block = Block {
                                brace_token: syn::token::Brace(group.delim_span()),
                                stmts,
                            };
                            let binds = block.stmts.iter().flat_map(changes::binds_in).collect();
                            self.in_arm(binds, |walk| walk.visit_block_mut(&mut block));
                            out.extend(block.into_token_stream());
                        }
                        None => out.push(tokens[at].clone()),
                    }
                    at += 1;
                }
                _ => {
                    // An expression arm ends at the next `,` among the macro's own tokens.
                    let end = tokens[at..]
                        .iter()
                        .position(
                            |token| matches!(token, TokenTree::Punct(p) if p.as_char() == ','),
                        )
                        .map_or(tokens.len(), |len| at + len);
                    let stream: TokenStream = tokens[at..end].iter().cloned().collect();
                    let parsed = jumps(&stream)
                        .then(|| syn::parse2::<Expr>(stream.clone()).ok())
                        .flatten();
                    match parsed {
                        Some(mut expr) => {
                            let binds = changes::binds_in(&syn::Stmt::Expr(expr.clone(), None));
                            self.in_arm(binds, |walk| walk.visit_expr_mut(&mut expr));
                            out.extend(expr.into_token_stream());
                        }
                        None => out.extend(stream),
                    }
                    at = end;
                }
            }
        }
        mac.tokens = out.into_iter().collect();
    }

    /// Runs `f` with the names an arm binds (`arm_binds`) counted among the body's: the walk of
    /// the body did not see into the macro
    /// (`let n = select! { m = rx => { let v = m?; v.len() } }`).
    fn in_arm(&mut self, arm_binds: HashSet<String>, f: impl FnOnce(&mut Self)) {
        let added: Vec<String> = match self.jumps.as_mut().and_then(|j| j.body_binds.as_mut()) {
            Some(binds) => arm_binds
                .into_iter()
                .filter(|name| binds.insert(name.clone()))
                .collect(),
            None => Vec::new(),
        };
        f(self);
        if let Some(binds) = self.jumps.as_mut().and_then(|j| j.body_binds.as_mut()) {
            for name in added {
                binds.remove(&name);
            }
        }
    }

    /// The parallel loop whose kept variables an exit here takes: none outside its body, when
    /// it keeps none, or inside an exit block that has taken them already.
    fn taking(&self) -> Option<&Jumps> {
        self.jumps
            .as_ref()
            .filter(|jumps| !self.kept_taken && !jumps.kept.is_empty())
    }

    /// In an exit of the parallel loop's own flow, the variables it keeps, taken.
    fn take_kept(&mut self, exit: &mut Expr) {
        if let Some(jumps) = self.taking() {
            let phases = &*self.phases;
            kept::take_kept(exit, &jumps.kept, &|moved| {
                phases.take_kept(&jumps.of, moved)
            });
        }
    }

    /// Runs `f` with `context` for code that is not part of the parallel loop's own flow
    /// (a closure or async block inside its body, or outside any parallel loop).
    fn within(&mut self, context: Context, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.context, context);
        let jumps = self.jumps.take();
        f(self);
        self.jumps = jumps;
        self.context = outer;
    }

    fn nested(&mut self, label: Option<&Label>, is_loop: bool, f: impl FnOnce(&mut Self)) {
        let Some(jumps) = &mut self.jumps else {
            return f(self);
        };
        let labels = jumps.labels.len();
        if let Some(label) = label {
            jumps.labels.push(label.name.ident.clone());
        }
        jumps.nested_loops += usize::from(is_loop);
        f(self);
        let jumps = self.jumps.as_mut().expect("restored");
        jumps.nested_loops -= usize::from(is_loop);
        jumps.labels.truncate(labels);
    }

    /// A method call in the body: the check of the change it may make (see
    /// [`Phases::changed_shared`]), for before its statement.
    fn method_call(&mut self, call: &syn::ExprMethodCall) {
        let Some(jumps) = &self.jumps else {
            return;
        };
        let Some(names) = jumps.shared_place(&call.receiver) else {
            return;
        };
        if let Some(check) = self.phases.changed_shared(&jumps.of, call) {
            self.checks.push((check, names));
        }
    }

    /// The method calls in the arguments of a macro that is `stmt` and takes expressions
    /// (`assert!(self.seen.insert(x))`), which the walk does not enter.
    fn calls_in_macro(&mut self, stmt: &syn::Stmt) {
        struct Calls(Vec<syn::ExprMethodCall>);
        impl Visit<'_> for Calls {
            fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
                self.0.push(call.clone());
                visit::visit_expr_method_call(self, call);
            }
            fn visit_item(&mut self, _: &Item) {}
            // As in the body outside macros: a closure's or an async block's calls are
            // theirs (a `move` closure changes its own copy), left to rustc.
            fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
            fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        }
        let mut calls = Calls(Vec::new());
        for argument in changes::macro_arguments(stmt) {
            calls.visit_expr(&argument);
        }
        for call in &calls.0 {
            self.method_call(call);
        }
    }

    fn misplaced(&mut self, attrs: &mut Vec<Attribute>, what: &str) {
        for marker in attrs.iter().filter(|attr| is_marker(attr)) {
            self.phases.misplaced(marker, what);
        }
        attrs.retain(|attr| !is_marker(attr));
    }
}

/// Whether `expr` is a marked loop that can run in parallel.
fn is_parallel_loop(expr: &Expr) -> bool {
    match expr {
        Expr::ForLoop(for_loop) => for_loop.attrs.iter().any(is_marker),
        Expr::While(while_loop) => {
            is_while_let(&while_loop.cond) && while_loop.attrs.iter().any(is_marker)
        }
        _ => false,
    }
}

#[derive(PartialEq, Eq)]
enum Target {
    Parallel,
    Inner,
    Outside,
}

impl Jumps {
    /// See [`changes::shared_place`]; `None` in a `while let` loop's head, which changes what
    /// it uses on its own.
    fn shared_place(&self, place: &Expr) -> Option<HashSet<String>> {
        changes::shared_place(self.body_binds.as_ref()?, place)
    }

    fn target(&self, label: Option<&Lifetime>) -> Target {
        match label {
            Some(label) if self.labels.contains(&label.ident) => Target::Inner,
            Some(label) if self.parallel_label.as_ref() == Some(&label.ident) => Target::Parallel,
            Some(_) => Target::Outside,
            None if self.nested_loops > 0 => Target::Inner,
            None => Target::Parallel,
        }
    }
}

impl VisitMut for Walk<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if is_parallel_loop(expr) {
            let placeholder = Expr::Verbatim(TokenStream::new());
            let Some(mut syntax) = LoopSyntax::of(std::mem::replace(expr, placeholder)) else {
                unreachable!("matched above")
            };
            let attrs = syntax.attrs_mut();
            let at = attrs.iter().position(is_marker).expect("marked");
            let marker = attrs.remove(at);
            self.misplaced(syntax.attrs_mut(), "a second `#[fail_fast]`");
            *expr = self.parallel_loop(syntax, marker);
            return;
        }
        if let Some(attrs) = expr_attrs_mut(expr) {
            if attrs.iter().any(is_marker) {
                let what = describe(expr);
                let attrs = expr_attrs_mut(expr).expect("has attributes");
                self.misplaced(attrs, what);
            }
        }
        if self.jump(expr) {
            return;
        }
        if let Expr::MethodCall(call) = expr {
            self.method_call(call);
        }
        match expr {
            Expr::ForLoop(inner) => {
                // The input is evaluated outside the inner loop: its jumps are the body's.
                self.visit_expr_mut(&mut inner.expr);
                self.visit_pat_mut(&mut inner.pat);
                let label = inner.label.clone();
                self.nested(label.as_ref(), true, |this| {
                    this.visit_block_mut(&mut inner.body)
                });
            }
            Expr::While(inner) => {
                let label = inner.label.clone();
                self.nested(label.as_ref(), true, |this| {
                    visit_mut::visit_expr_while_mut(this, inner);
                });
            }
            Expr::Loop(inner) => {
                let label = inner.label.clone();
                self.nested(label.as_ref(), true, |this| {
                    visit_mut::visit_expr_loop_mut(this, inner);
                });
            }
            // A block that runs at most once where the statement is, in a block that owns
            // variables: a loop in it may keep them too.
            Expr::If(branches) if self.enclosing.is_some() => {
                let kept::Owned::Enclosing {
                    owned,
                    mut before,
                    after,
                } = self.enclosing.take().expect("matched")
                else {
                    unreachable!("set by `walk_block`")
                };
                self.visit_expr_mut(&mut branches.cond);
                // The condition runs before the branches: it is among what comes before.
                before.push(syn::Stmt::Expr(
                    (*branches.cond).clone(),
                    Some(Default::default()),
                ));
                let enclosing = kept::Owned::Enclosing {
                    owned,
                    before,
                    after,
                };
                self.owned = Some(enclosing.clone());
                self.visit_block_mut(&mut branches.then_branch);
                if let Some((_, otherwise)) = &mut branches.else_branch {
                    match &mut **otherwise {
                        Expr::Block(block) if block.label.is_none() => {
                            self.owned = Some(enclosing);
                            self.visit_block_mut(&mut block.block);
                        }
                        Expr::If(_) => {
                            self.enclosing = Some(enclosing);
                            self.visit_expr_mut(otherwise);
                        }
                        otherwise => self.visit_expr_mut(otherwise),
                    }
                }
            }
            Expr::Block(block) if block.label.is_none() && self.enclosing.is_some() => {
                self.owned = self.enclosing.take();
                self.visit_block_mut(&mut block.block);
            }
            Expr::Block(block) if block.label.is_some() => {
                let label = block.label.clone();
                self.nested(label.as_ref(), false, |this| {
                    visit_mut::visit_expr_block_mut(this, block);
                });
            }
            Expr::Closure(closure) => {
                let returns = match (&closure.output, &*closure.body) {
                    (ReturnType::Default, Expr::Block(body)) => {
                        pinned_return(&body.block).unwrap_or(ReturnType::Default)
                    }
                    (written, _) => written.clone(),
                };
                let context = Context {
                    exit: Exit::Closure {
                        output: closure.output.clone(),
                        tail: has_tail(&closure.body),
                    },
                    in_async: closure.asyncness.is_some(),
                    returns: Some(returns),
                };
                self.within(context, |this| {
                    // A closure's body owns its parameters, as a function's does: the next
                    // block the walk enters is that body, when it is one. Only parameters with
                    // a written type: an inferred one may be a lock's guard, which is shared
                    // rather than kept.
                    if closure.asyncness.is_none() && matches!(*closure.body, Expr::Block(_)) {
                        let params =
                            owned_params(closure.inputs.iter().filter_map(|input| match input {
                                Pat::Type(typed) => Some((&*typed.pat, &*typed.ty)),
                                _ => None,
                            }));
                        // What it captures, as an `async move` block's: not a parameter.
                        let captured = this.locals.variables().map(|mut variables| {
                            for input in &closure.inputs {
                                for name in changes::bound_by(input) {
                                    variables.remove(&name);
                                }
                            }
                            variables
                        });
                        this.owned = Some(kept::Owned::Closure(params, captured));
                    }
                    visit_mut::visit_expr_closure_mut(this, closure)
                });
            }
            Expr::Async(block) => {
                let context = Context {
                    exit: Exit::AsyncBlock,
                    in_async: true,
                    returns: pinned_return(&block.block),
                };
                self.within(context, |this| {
                    // An `async move` block owns what it captures.
                    if block.capture.is_some() {
                        this.owned = Some(kept::Owned::Captured(this.locals.variables()));
                    }
                    visit_mut::visit_expr_async_mut(this, block);
                });
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Each statement's checks go before it (see `Phases::changed_shared`), where the places
    // they use are the ones the statement's calls change: not when the statement binds a name
    // a place uses (`|i| grid[i].push(1)`), which may not be in scope before it.
    //
    // Not before a statement with attributes (`#[cfg]` may remove it; `#[allow]` its lints,
    // which the check's copy of its place would raise again), nor after one that diverges,
    // whose "unreachable statement" warning belongs to the user's next statement.
    //
    // Outside a parallel loop's body there is nothing to check. In any block, a parallel
    // loop's statement goes between the statements that keep its variables (see `kept`).
    fn visit_block_mut(&mut self, block: &mut Block) {
        let body_root = std::mem::take(&mut self.body_root);
        // A block of the body that ends in a `return` takes the variables the loop keeps for
        // the statements from the first that mentions one (see `kept::exit_block`).
        let takes_kept = !body_root
            && kept::exit_block(block)
            && self
                .taking()
                .is_some_and(|jumps| jumps.body_binds.is_some());
        if takes_kept {
            self.kept_taken = true;
            self.walk_block(block);
            self.kept_taken = false;
            if let Some(jumps) = self.taking() {
                let phases = &*self.phases;
                kept::take_kept_in_block(block, &jumps.kept, &|moved| {
                    phases.take_kept(&jumps.of, moved)
                });
            }
            return;
        }
        self.walk_block(block);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        self.misplaced(&mut local.attrs, "a `let` statement");
        visit_mut::visit_local_mut(self, local);
    }

    // A `bail!(e)` of the loop's own flow moves `e` out as a `return` does.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.jumps_in_arms(mac);
        if let Some(jumps) = self.taking().filter(|_| kept::returns_error(mac)) {
            let phases = &*self.phases;
            kept::take_kept_in_macro(mac, &jumps.kept, &|moved| {
                phases.take_kept(&jumps.of, moved)
            });
        }
    }

    // A nested item is expanded by its own attribute, and has its own `return`.
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

impl Walk<'_> {
    /// [`VisitMut::visit_block_mut`]'s walk of the statements.
    fn walk_block(&mut self, block: &mut Block) {
        let owned = self.owned.take();
        let in_body = self
            .jumps
            .as_ref()
            .is_some_and(|jumps| jumps.body_binds.is_some());
        // Before any statement is walked: each parallel loop's statement with the variables
        // it keeps, which the statements before it declare as written.
        let keeping: Vec<Vec<Kept>> = block
            .stmts
            .iter()
            .enumerate()
            .map(|(at, stmt)| match stmt {
                syn::Stmt::Expr(expr, _) if is_parallel_loop(expr) => kept::keepable(
                    expr,
                    &block.stmts[..at],
                    &block.stmts[at + 1..],
                    owned.as_ref(),
                    self.defaults.values_tokens(),
                ),
                _ => Vec::new(),
            })
            .collect();
        // Each `if` or plain block statement's: what its blocks own from this one.
        let enclosing: Vec<Option<kept::Owned>> = block
            .stmts
            .iter()
            .enumerate()
            .map(|(at, stmt)| {
                match (stmt, &owned) {
                    (_, None | Some(kept::Owned::Unseen)) => None,
                    (syn::Stmt::Expr(Expr::If(branches), _), Some(owned))
                        if branches.attrs.is_empty() =>
                    {
                        Some(owned.clone())
                    }
                    (syn::Stmt::Expr(Expr::Block(plain), _), Some(owned))
                        if plain.attrs.is_empty() && plain.label.is_none() =>
                    {
                        Some(owned.clone())
                    }
                    _ => None,
                }
                .map(|owned| kept::Owned::Enclosing {
                    owned: Box::new(owned),
                    before: block.stmts[..at].to_vec(),
                    after: block.stmts[at + 1..].to_vec(),
                })
            })
            .collect();
        let outer = std::mem::take(&mut self.checks);
        let mut stmts = Vec::with_capacity(block.stmts.len());
        let mut diverged = false;
        for ((mut stmt, keeping), enclosing) in std::mem::take(&mut block.stmts)
            .into_iter()
            .zip(keeping)
            .zip(enclosing)
        {
            let (checked, binds) = match in_body {
                true => {
                    let checked = !diverged && !changes::has_attributes(&stmt);
                    diverged |= changes::diverges(&stmt);
                    self.calls_in_macro(&stmt);
                    (checked, changes::binds_in(&stmt))
                }
                false => (false, HashSet::new()),
            };
            self.keeping = keeping;
            self.enclosing = enclosing;
            self.visit_stmt_mut(&mut stmt);
            self.enclosing = None;
            self.keeping.clear();
            for (check, names) in self.checks.drain(..) {
                if checked && names.is_disjoint(&binds) {
                    stmts.push(check);
                }
            }
            let Some((before, after)) = self.kept_stmts.take() else {
                stmts.push(stmt);
                continue;
            };
            // The loop's statement, ended with `;` where it was the block's value (`()`),
            // between the statements that keep its variables and bind them again.
            if let syn::Stmt::Expr(_, semi) = &mut stmt {
                semi.get_or_insert_with(Default::default);
            }
            stmts.push(before);
            stmts.push(stmt);
            stmts.extend(after);
        }
        block.stmts = stmts;
        self.checks = outer;
    }
}

/// Whether a closure's body gives it a value: a block ending with an expression that is not a
/// loop, or any other expression that is not a loop.
fn has_tail(body: &Expr) -> bool {
    let value = match body {
        Expr::Block(block) if block.label.is_none() => match block.block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => tail,
            _ => return false,
        },
        other => other,
    };
    !matches!(value, Expr::ForLoop(_) | Expr::While(_))
}

/// The return type that another attribute's expansion gives a closure or async block of its
/// own, whose type is not written, with a `return` of a typed value as its first statement:
/// rustc reads it before the loop, as it reads a written return type, and the function's
/// `return`s convert their values to it (`Box<io::Error>` to `Box<dyn Error>`). tracing's
/// `#[instrument(err)]` moves the function's body into a closure that begins
/// `if false { let __tracing_attr_fake_return: T = loop {}; return __tracing_attr_fake_return; }`,
/// and `#[async_trait]` into an async block that begins
/// `if let Some(__ret) = None::<T> { return __ret; }`.
fn pinned_return(body: &Block) -> Option<ReturnType> {
    let Some(syn::Stmt::Expr(Expr::If(first), _)) = body.stmts.first() else {
        return None;
    };
    if first.else_branch.is_some() {
        return None;
    }
    // The name the branch returns, and its type where the condition or the branch binds it.
    let Some(syn::Stmt::Expr(Expr::Return(ret), _)) = first.then_branch.stmts.last() else {
        return None;
    };
    let Some(Expr::Path(returned)) = ret.expr.as_deref() else {
        return None;
    };
    let returned = returned.path.get_ident()?;
    let typed = match &*first.cond {
        // `if false { let NAME: T = ..; return NAME; }`
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(never),
            ..
        }) if !never.value => first.then_branch.stmts.iter().find_map(|stmt| match stmt {
            syn::Stmt::Local(syn::Local {
                pat: Pat::Type(typed),
                ..
            }) if matches!(&*typed.pat, Pat::Ident(name) if name.ident == *returned) => {
                Some((*typed.ty).clone())
            }
            _ => None,
        })?,
        // `if let Some(NAME) = None::<T> { return NAME; }`
        Expr::Let(binding) => {
            let Pat::TupleStruct(some) = &*binding.pat else {
                return None;
            };
            let bound = matches!(
                some.elems.first(),
                Some(Pat::Ident(name)) if name.ident == *returned && some.elems.len() == 1
            );
            let Expr::Path(none) = &*binding.expr else {
                return None;
            };
            let last = none.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            match arguments.args.first() {
                Some(syn::GenericArgument::Type(ty))
                    if bound && last.ident == "None" && arguments.args.len() == 1 =>
                {
                    ty.clone()
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(ReturnType::Type(Default::default(), Box::new(typed)))
}

/// See `ParallelLoop::exit_typed`. A closure's or async block's type that is not written is
/// inferred from its whole body, after the loop; so is a function's the loop form cannot see.
fn exit_typed(context: &Context) -> bool {
    let written = match (&context.exit, &context.returns) {
        (Exit::Function, Some(ReturnType::Default)) => return true,
        (Exit::Function | Exit::Closure { .. }, Some(ReturnType::Type(_, ty))) => ty,
        _ => return false,
    };
    !opaque(written)
}

/// The bare variables that a `return`'s `value` hands back as they are into a `&mut` that
/// the exit's written type `ty` has at their place: the value itself under a `&mut` type, and
/// the parts of `Ok(..)`, `Err(..)` or `Some(..)` under `Result<T, E>` or `Option<T>`, and
/// of a tuple under a tuple type, recursively (`Some((x, key))` under `Option<(&mut Item,
/// &Key)>` hands back `x`; `key` coerces to `&Key`). Not a function's or method's argument,
/// which a callee taking `&T` may reborrow; nothing where the type does not show the place.
fn handed_back(value: &Expr, ty: &Type) -> Vec<Ident> {
    let mut names = Vec::new();
    let mut parts = vec![(value, ty)];
    while let Some((value, ty)) = parts.pop() {
        match (value, ty) {
            (Expr::Paren(paren), _) => parts.push((&paren.expr, ty)),
            (Expr::Group(group), _) => parts.push((&group.expr, ty)),
            (_, Type::Paren(paren)) => parts.push((value, &paren.elem)),
            (_, Type::Group(group)) => parts.push((value, &group.elem)),
            (Expr::Path(path), Type::Reference(reference))
                if path.qself.is_none() && reference.mutability.is_some() =>
            {
                names.extend(path.path.get_ident().cloned());
            }
            (Expr::Tuple(tuple), Type::Tuple(types)) if tuple.elems.len() == types.elems.len() => {
                parts.extend(tuple.elems.iter().zip(&types.elems));
            }
            (Expr::Call(call), Type::Path(path)) if call.args.len() == 1 => {
                let variant = match &*call.func {
                    Expr::Path(func) => {
                        func.path.segments.last().map(|last| last.ident.to_string())
                    }
                    _ => None,
                };
                let Some(last) = path.path.segments.last() else {
                    continue;
                };
                let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                    continue;
                };
                let types: Vec<&Type> = arguments
                    .args
                    .iter()
                    .filter_map(|argument| match argument {
                        syn::GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                    .collect();
                let at = match (last.ident.to_string().as_str(), variant.as_deref()) {
                    ("Result", Some("Ok")) | ("Option", Some("Some")) => 0,
                    ("Result", Some("Err")) => 1,
                    _ => continue,
                };
                if let Some(ty) = types.get(at) {
                    parts.push((&call.args[0], ty));
                }
            }
            _ => {}
        }
    }
    names
}

/// Whether `ty` may name a type parameter: one of `sig`'s, `Self`, or a name written as type
/// parameters are (`T`, `E`, `K2`: one or two capitals or digits), which may be an `impl`'s
/// or a trait's that the macro does not see. For such a type a not-recommended check would
/// have rustc suggest a bound on the check's trait, rather than `T: Send`.
fn mentions_type_parameters(ty: &Type, sig: &Signature) -> bool {
    struct Mentions<'a>(&'a Signature, bool);
    impl Visit<'_> for Mentions<'_> {
        fn visit_path(&mut self, path: &syn::Path) {
            if let Some(first) = path.segments.first() {
                let name = first.ident.to_string();
                let written_as_parameter = name.len() <= 2
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
                self.1 |= name == "Self"
                    || written_as_parameter
                    || self
                        .0
                        .generics
                        .type_params()
                        .any(|param| param.ident == first.ident);
            }
            visit::visit_path(self, path);
        }
    }
    let mut mentions = Mentions(sig, false);
    mentions.visit_type(ty);
    mentions.1
}

/// See `ParallelLoop::concrete`: none of the function's own parameters, and no type that may
/// name another's (`self`'s, or an `impl`'s `T` in a parameter or the return type).
fn concrete(signature: Option<&Signature>) -> bool {
    signature.is_some_and(|sig| {
        !own_type_parameters(sig)
            && sig.inputs.iter().all(|input| match input {
                syn::FnArg::Receiver(_) => false,
                syn::FnArg::Typed(typed) => !mentions_type_parameters(&typed.ty, sig),
            })
            && match &sig.output {
                ReturnType::Default => true,
                ReturnType::Type(_, ty) => !mentions_type_parameters(ty, sig),
            }
    })
}

/// See `ParallelLoop::generic`.
fn generic(signature: Option<&Signature>) -> bool {
    signature.is_some_and(own_type_parameters)
}

/// Whether the function has type parameters of its own: generics, or an `impl Trait`
/// parameter.
fn own_type_parameters(sig: &Signature) -> bool {
    sig.generics.type_params().next().is_some()
        || sig.inputs.iter().any(|input| match input {
            syn::FnArg::Receiver(_) => false,
            syn::FnArg::Typed(typed) => opaque(&typed.ty),
        })
}

/// See `ParallelLoop::exit_aliased`: also no type parameter in sight in the return type.
fn exit_aliased(context: &Context, signature: Option<&Signature>) -> bool {
    let Some(ReturnType::Type(_, ty)) = &context.returns else {
        return false;
    };
    if signature.is_none_or(|sig| mentions_type_parameters(ty, sig)) {
        return false;
    }
    let syn::Type::Path(path) = &**ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let arguments: Vec<&Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // A `Result` whose error is a bare name (`Result<(), BoxError>`) may hide it as well:
    // `type BoxError = Box<dyn Error>;`. Not `String`, which hides nothing: rustc's report of
    // an `Rc` in the `Ok` value names `Send` then.
    let error_aliased = || {
        last.ident == "Result"
            && matches!(arguments.as_slice(), [_, Type::Path(error)]
            if error.qself.is_none()
                && error.path.segments.last().is_some_and(|last| {
                    last.arguments.is_none() && last.ident != "String"
                }))
    };
    path.qself.is_none()
        && (last.ident != "Option" && (arguments.len() < 2 || error_aliased())
            || holds_trait_object(ty))
}

/// Whether `ty` holds a boxed trait object that is not `Send` (`Box<dyn Shape>`), which rustc
/// would report deep inside (`dyn Shape` through `Unique<dyn Shape>`), with no word of the
/// loop and no hint of `+ Send`. Not one behind `&` or an `Arc`, which needs `+ Sync`, and
/// which rustc's own report names; nor a `dyn Error + Send + Sync`, which hides nothing.
fn holds_trait_object(ty: &Type) -> bool {
    struct Found(bool);
    impl Visit<'_> for Found {
        fn visit_type_path(&mut self, path: &syn::TypePath) {
            let boxed = path.path.segments.last().filter(|last| last.ident == "Box");
            if let Some(syn::PathArguments::AngleBracketed(arguments)) =
                boxed.map(|last| &last.arguments)
            {
                if let Some(syn::GenericArgument::Type(Type::TraitObject(object))) =
                    arguments.args.first()
                {
                    let send = object.bounds.iter().any(|bound| {
                        matches!(bound, syn::TypeParamBound::Trait(bound)
                            if bound.path.segments.last().is_some_and(|last| last.ident == "Send"))
                    });
                    self.0 |= !send;
                }
            }
            visit::visit_type_path(self, path);
        }
    }
    let mut found = Found(false);
    found.visit_type(ty);
    found.0
}

/// Whether a written return type leaves its type to be inferred (a closure's `-> _`, `->
/// Result<_, E>`, inferred after the loop) or cannot be written in the body (`impl Trait`, a
/// macro's type). An elided lifetime (`'_`) is no part of the type's kind.
pub(crate) fn opaque(ty: &Type) -> bool {
    struct Opaque(bool);
    impl Visit<'_> for Opaque {
        fn visit_type(&mut self, ty: &Type) {
            match ty {
                Type::Infer(_) | Type::ImplTrait(_) | Type::Macro(_) => self.0 = true,
                _ => visit::visit_type(self, ty),
            }
        }
    }
    let mut opaque = Opaque(false);
    opaque.visit_type(ty);
    opaque.0
}

/// `ty`, with `_` for each `impl Trait` in it (`Result<_, Box<dyn Error + Send + Sync>>` for
/// `Result<impl Debug, Box<dyn Error + Send + Sync>>`), for a `let` to name: `None` for a type
/// that names nothing (`_`, `impl Trait` alone) or that a macro writes.
fn partly_written(ty: &Type) -> Option<Type> {
    struct Placeholders(bool);
    impl VisitMut for Placeholders {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            match ty {
                Type::ImplTrait(_) => *ty = syn::parse_quote!(_),
                Type::Macro(_) => self.0 = true,
                _ => visit_mut::visit_type_mut(self, ty),
            }
        }
    }
    let mut written = ty.clone();
    let mut placeholders = Placeholders(false);
    placeholders.visit_type_mut(&mut written);
    let nothing = matches!(written, Type::Infer(_));
    (!placeholders.0 && !nothing).then_some(written)
}

/// `Result<(), E>` for a `Result<T, E>` whose `E` is written and not opaque (`T` may be:
/// `Result<impl Debug, Box<dyn Error + Send + Sync>>`); `None` for an alias with one argument
/// (`io::Result<impl Debug>`), whose error is hidden.
fn error_written(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let mut path = path.clone();
    let last = path.path.segments.last_mut()?;
    let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments else {
        return None;
    };
    if arguments.args.len() != 2 {
        return None;
    }
    match &arguments.args[1] {
        syn::GenericArgument::Type(error) if !opaque(error) => {}
        _ => return None,
    }
    arguments.args[0] = syn::GenericArgument::Type(syn::parse_quote!(()));
    Some(Type::Path(path))
}

/// Whether every `return` of a loop's own flow (its head's and its body's, outside closures,
/// async blocks and items) is a failure of the type the loop leaves through, and there is
/// one: `return Err(..)` for a `Result` (also an alias, `io::Result<T>`: the failure is
/// coerced to the written type first; as written where the type is not written before the
/// loop: `Result<impl Trait, E>`, or an `inferred` closure's or async block's type), `return
/// None` for an `Option`. Then
/// the loop only fails: its iterations return `Result<(), E>` (or `Option<()>`), in which
/// such a `return` is the iteration's failure, and the loop carries back only the failure,
/// never a value of the `Ok` type (which need not be `Send`). Not with a marked loop inside,
/// whose exits pass through this loop's.
fn failure_returns(
    output: Option<&ReturnType>,
    inferred: bool,
    source: &Source,
    body: &Block,
) -> Option<Failure> {
    struct Returns {
        option: bool,
        failures: usize,
        others: usize,
    }
    impl Visit<'_> for Returns {
        fn visit_expr_return(&mut self, ret: &syn::ExprReturn) {
            let failure = match (self.option, ret.expr.as_deref()) {
                (true, Some(Expr::Path(path))) => path.qself.is_none() && is_none(&path.path),
                (false, Some(Expr::Call(call))) => {
                    call.args.len() == 1
                        && matches!(&*call.func, Expr::Path(path) if path.qself.is_none()
                        && path.path.segments.last().is_some_and(|last| {
                            last.ident == "Err" && last.arguments.is_none()
                        }))
                }
                _ => false,
            };
            match failure {
                true => self.failures += 1,
                false => self.others += 1,
            }
            visit::visit_expr_return(self, ret);
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_item(&mut self, _: &Item) {}
    }
    let failure = match output {
        Some(ReturnType::Type(_, ty)) => {
            let Type::Path(path) = &**ty else {
                return None;
            };
            let last = path.path.segments.last()?;
            match () {
                _ if last.ident == "Option" => Failure::None,
                // `Result<impl Trait, E>`: the error's type is written, and coerces the
                // failure (`Box::new(e)` to a `Box<dyn Error + Send + Sync>`) as the
                // sequential `return` does, through `Result<(), E>`.
                _ if last.ident == "Result" && opaque(ty) => match error_written(ty) {
                    Some(failing) => Failure::Err(Box::new(failing)),
                    None => Failure::ErrUntyped,
                },
                _ if last.ident == "Result" => Failure::Err(ty.clone()),
                _ => return None,
            }
        }
        // A closure's or an async block's type, inferred; a function's is `()`.
        Some(ReturnType::Default) | None if inferred => Failure::ErrUntyped,
        Some(ReturnType::Default) | None => return None,
    };
    if crate::find::has_markers(body) {
        return None;
    }
    let option = matches!(failure, Failure::None);
    let mut returns = Returns {
        option,
        failures: 0,
        others: 0,
    };
    if let Source::Head(head) = source {
        returns.visit_expr(head);
    }
    returns.visit_block(body);
    (returns.failures > 0 && returns.others == 0).then_some(failure)
}

/// Whether `path` names `Option`'s `None`: `None`, `Option::None`, or the full path
/// (`std::option::Option::None`, `core::..`).
fn is_none(path: &syn::Path) -> bool {
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    matches!(
        names[..],
        ["None"] | ["Option", "None"] | ["std" | "core", "option", "Option", "None"]
    )
}

/// Whether a written return type is `Result` or `Option` by its name (aliases such as
/// `io::Result<T>` end in `Result`): then anyhow's `bail!` and other macros that `return
/// Err(..)` work without a `?` in sight.
fn returns_fallible(output: &ReturnType) -> bool {
    let ReturnType::Type(_, ty) = output else {
        return false;
    };
    let syn::Type::Path(path) = &**ty else {
        return false;
    };
    path.path.segments.last().is_some_and(|last| {
        let name = last.ident.to_string();
        name.ends_with("Result") || name == "Option"
    })
}

/// What a loop body does directly (outside closures, async blocks and nested items), nested
/// loops included, marked or not: their `?` and `.await` are the enclosing function's too.
struct Facts {
    awaits: Vec<Span>,
    /// Macro calls that await, in async code: `select!`, `join!`, `try_join!` (tokio's and
    /// futures'), or one with `.await` among its tokens (`assert!(f().await)`).
    awaiting_macros: bool,
    /// A bare `join!` or `try_join!`: futures' or tokio's, imported, or a user's own (which
    /// may join strings). It makes the loop async when `workers` is given, as an async loop
    /// needs (see [`awaits_in_macro`]).
    joining_macros: bool,
    /// A `?`, or a macro that may hide one (`bail!`, `ensure!`, or `?` among its tokens).
    tries: bool,
    /// Macro calls that may expand to a `return` or a `continue`.
    user_macros: Vec<Span>,
    /// A `return` among a macro call's tokens (`println!("{}", match x { .. => return Ok(()) })`),
    /// which the walk does not rewrite: the loop keeps the iterations' type that can carry a
    /// `return`'s value, whose tie refuses it, rather than take it for an iteration's end.
    returns_in_macros: bool,
    /// A macro call other than the standard library's that print, format, assert or build a
    /// value ([`NEVER_EXITING_MACROS`]): `include!`, whose file may hold a `?`, or one that
    /// may hide a `?` or a `return` behind a known name (a user's own `error!` that returns
    /// `Err`, where `log` is not used).
    may_hide_exits: bool,
}

impl Facts {
    fn of(body: &Block) -> Facts {
        let mut facts = Facts {
            awaits: Vec::new(),
            awaiting_macros: false,
            joining_macros: false,
            tries: false,
            user_macros: Vec::new(),
            returns_in_macros: false,
            may_hide_exits: false,
        };
        facts.visit_block(body);
        facts
    }

    fn of_expr(expr: &Expr) -> Facts {
        let mut facts = Facts {
            awaits: Vec::new(),
            awaiting_macros: false,
            joining_macros: false,
            tries: false,
            user_macros: Vec::new(),
            returns_in_macros: false,
            may_hide_exits: false,
        };
        facts.visit_expr(expr);
        facts
    }
}

impl Visit<'_> for Facts {
    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Await(awaited) => {
                self.awaits.push(awaited.await_token.span);
                visit::visit_expr(self, expr);
            }
            Expr::Try(_) => {
                self.tries = true;
                visit::visit_expr(self, expr);
            }
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        self.returns_in_macros |= crate::captures::idents(mac.tokens.clone()).contains("return");
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        self.may_hide_exits |= !name
            .as_deref()
            .is_some_and(|name| NEVER_EXITING_MACROS.contains(&name));
        self.tries |= matches!(name.as_deref(), Some("bail" | "ensure"))
            || has_question_mark(mac.tokens.clone());
        self.awaiting_macros |= awaits_in_macro(mac, name.as_deref());
        self.joining_macros |=
            mac.path.segments.len() == 1 && matches!(name.as_deref(), Some("join" | "try_join"));
        if !name
            .as_deref()
            .is_some_and(|name| KNOWN_MACROS.contains(&name))
        {
            let last = mac.path.segments.last().expect("a macro has a name");
            self.user_macros.push(last.ident.span());
        }
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// The standard library's macros that print, format, assert or build a value: a loop whose
/// body calls no other (and has no `?` nor `return`) cannot end early (see
/// `ParallelLoop::may_exit`). Their names are rarely a user's own. All are in
/// [`KNOWN_MACROS`], so a user's macro is never one of them. (Not anyhow's: the formatting
/// ones of `captures::FORMATTING` but for those.)
const NEVER_EXITING_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "matches",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// Macros that never expand to a `return Ok(..)`: the standard library's, anyhow's (whose
/// `return Err(..)` the loop takes as a failure), log's and tracing's.
const KNOWN_MACROS: &[&str] = &[
    "anyhow",
    "assert",
    "assert_eq",
    "assert_ne",
    "bail",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "debug_span",
    "ensure",
    "env",
    "eprint",
    "eprintln",
    "error",
    "error_span",
    "event",
    "file",
    "format",
    "format_args",
    "format_err",
    "include",
    "include_bytes",
    "include_str",
    "info",
    "info_span",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "span",
    "stringify",
    "todo",
    "trace",
    "trace_span",
    "unimplemented",
    "unreachable",
    "vec",
    "warn",
    "warn_span",
    "write",
    "writeln",
];

/// Whether `tokens` hold a `?` that is not `?Sized`.
/// Whether a macro call awaits, in async code: `.await` among its arguments; tokio's or
/// futures' `select!`, `join!` or `try_join!`, named with their crate or, for `select!` and
/// `select_biased!`, in their syntax (`pat = future => ..`, where crossbeam's synchronous
/// `select!` writes `recv(rx) -> v => ..`). A bare `join!` may be a user's own (joining
/// strings): it counts here only with an `.await` among its arguments, as any macro, and
/// otherwise when the loop has `workers` (see `Facts::joining_macros`).
fn awaits_in_macro(mac: &syn::Macro, name: Option<&str>) -> bool {
    let qualified = || {
        mac.path.segments.len() > 1
            && mac.path.segments.first().is_some_and(|first| {
                ["tokio", "futures", "futures_util"].contains(&first.ident.to_string().as_str())
            })
    };
    // Crossbeam's arms (`recv(rx) -> v => ..`) have a `->` between two of their tokens.
    let arrow = || {
        let tokens: Vec<_> = mac.tokens.clone().into_iter().collect();
        tokens.windows(2).any(|pair| {
            matches!(
                (&pair[0], &pair[1]),
                (proc_macro2::TokenTree::Punct(dash), proc_macro2::TokenTree::Punct(gt))
                    if dash.as_char() == '-' && gt.as_char() == '>'
            )
        })
    };
    let awaits = match name {
        Some("join" | "try_join") => qualified(),
        Some("select" | "select_biased") => qualified() || !arrow(),
        _ => false,
    };
    awaits || has_await(mac.tokens.clone())
}

/// Whether `.await` is among `tokens` (a macro's arguments), outside the `async` blocks and
/// closures there, whose `.await`s are theirs.
fn has_await(tokens: TokenStream) -> bool {
    let mut dot = false;
    let mut in_async = false;
    tokens.into_iter().any(|token| {
        let found = match &token {
            proc_macro2::TokenTree::Ident(ident) => dot && ident == "await",
            // The body of `async { .. }`, `async move { .. }`, `async |..| { .. }`.
            proc_macro2::TokenTree::Group(group)
                if in_async && group.delimiter() == proc_macro2::Delimiter::Brace =>
            {
                false
            }
            proc_macro2::TokenTree::Group(group) => has_await(group.stream()),
            _ => false,
        };
        dot = matches!(&token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == '.');
        in_async = match &token {
            proc_macro2::TokenTree::Ident(ident) if ident == "async" => true,
            proc_macro2::TokenTree::Group(group)
                if group.delimiter() == proc_macro2::Delimiter::Brace =>
            {
                false
            }
            // The end of an argument or statement: `async |y| y + 1, { f().await }`.
            proc_macro2::TokenTree::Punct(punct) if matches!(punct.as_char(), ',' | ';') => false,
            // `move`, a closure's `|..|`: still before the async body.
            _ => in_async,
        };
        found
    })
}

fn has_question_mark(tokens: TokenStream) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    // `?` that begins an argument or follows `=` is `tracing`'s sigil (`?item`, `x = ?item`),
    // not the try operator, which follows an expression.
    let mut begins = true;
    while let Some(token) = tokens.next() {
        let after_expression = !begins;
        begins = matches!(&token, proc_macro2::TokenTree::Punct(punct) if matches!(punct.as_char(), ',' | '=' | '%'));
        match token {
            proc_macro2::TokenTree::Punct(punct) if punct.as_char() == '?' => {
                let sized =
                    matches!(tokens.peek(), Some(proc_macro2::TokenTree::Ident(i)) if i == "Sized");
                if !sized && after_expression {
                    return true;
                }
            }
            proc_macro2::TokenTree::Group(group) if has_question_mark(group.stream()) => {
                return true;
            }
            _ => {}
        }
    }
    false
}
