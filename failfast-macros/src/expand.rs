//! The attribute's driver ([`fail_fast`]: find the loops, describe them with `model`, check
//! each with `check`) and the code a [`ParallelLoop`] becomes, once `check` found nothing wrong.
//!
//! A thread loop
//! ```text
//! for PAT in INPUT { BODY }
//! ```
//! becomes
//! ```text
//! {
//!     ATTRS let () = {
//!         let outcome = match INPUT {
//!             input => if false {          // checks for rustc only, no code
//!                     shared_by_iterations((&PLACE)); // each place the body shares
//!                 }
//!                 (&&&input(&input))       // the input's type picks the engine's path
//!                 .__failfast_path()       // `SITE`: a `static`, this loop's identity
//!                 .thread_loop(input, WORKERS, &SITE, |PAT| {
//!                     BODY                 // `continue`  -> `return LoopStep::success()`
//!                     LoopStep::success()      // `return x`  -> `return LoopStep::from_exit(x)`
//!                 }),
//!         };
//!         EXIT
//!     };
//! }
//! ```
//! and an async loop the same with each iteration an `async` block, started by a
//! `future::Driver` in the user's own function, so that the loop's future is `Send` exactly when
//! the sequential loop's would be: the locals that the body uses only in its own code are lent
//! to the iterations (see [`lend`]), which would otherwise each hold a reference to them,
//! `Send` only when the local is also `Sync`. EXIT, by where the loop's exit goes:
//! - out of the function: `if let Some(v) = ExitsThrough::exit(outcome) { return v; }`, which ties
//!   the iterations' type to the function's return type (`Result<T, E>` gives
//!   `Result<ControlFlow<T>, E>`), so `?` converts errors with `From` as in the sequential loop;
//!   with no `return` in the loop (nor a user's macro), `FailsThrough::failed(outcome)`, whose
//!   iterations return `Result<(), E>`: rustc's errors about a `?` then name the function's
//!   error type alone; or, with no `?` in the loop,
//!   `if let ControlFlow::Break(v) = outcome { return v; }`, so any return type works with
//!   `return`;
//! - into the parallel loop around it: `if let Some(o) = LoopStep::stop(outcome) { return o; }`.
//!
//! Generated tokens are hygienic (`Span::mixed_site`) but located at the user's `for`: errors
//! about them point at the loop, and lints see macro code, not the user's.

use crate::args::{Options, Workers};
use crate::captures::{Locals, Shared};
use crate::check::{self, Function};
use crate::errors::Errors;
use crate::find::{self, NotOne};
use crate::kept::Kept;
use crate::lints;
use crate::macro_args::Opened;
use crate::model::{
    opaque, Exit, Flavor, Kind, LoopAt, LoopSyntax, ParallelLoop, Phases, Source, Walk,
};
use crate::races;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::visit_mut::VisitMut;
use syn::{Attribute, Expr, ExprMethodCall, ExprReturn, Ident, Item, ItemFn, Pat, Type};

/// The attribute's expansion: `input` with its parallel loops rewritten, or the errors.
pub(crate) fn fail_fast(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = Options::parse(args, &mut errors);
    if let Ok(function) = syn::parse2::<ItemFn>(input.clone()) {
        return function_form(function, &options, errors);
    }
    if let Some(syntax) = syn::parse2::<Expr>(input.clone())
        .ok()
        .map(|mut expr| {
            crate::grouping::parenthesize_loop(&mut expr);
            expr
        })
        .and_then(LoopSyntax::of)
    {
        return loop_form(syntax, &options, errors);
    }
    // A function with no body: a trait's method (`fn check(&self, items: &[u32]) -> Result<(),
    // E>;`), whose loop is in each impl's method, or a foreign function.
    if let Ok(method) = syn::parse2::<syn::TraitItemFn>(input.clone()) {
        if method.default.is_none() {
            errors.error(
                &method.sig.ident,
                format!(
                    "`#[fail_fast]` goes on a function with a loop in its body, and `{}` has no body here\n\
                     help: put it on the function that has the loop: for a trait's method, on the method in each `impl` of the trait, or give this declaration a default body with the loop",
                    method.sig.ident
                ),
            );
            return with_errors(errors, input);
        }
    }
    let what = match (
        syn::parse2::<Item>(input.clone()),
        syn::parse2::<Expr>(input.clone()),
    ) {
        (Ok(Item::Fn(_)), _) => unreachable!("parsed as a function above"),
        (Ok(item), _) => describe_item(&item),
        (_, Ok(expr)) => find::describe(&expr),
        // Not Rust that parses (a function with a syntax error, say): rustc reports that,
        // and anything the macro added would only be noise.
        _ => return input,
    };
    let at = input
        .clone()
        .into_iter()
        .find(|token| !matches!(token, proc_macro2::TokenTree::Punct(p) if p.as_char() == '#'));
    errors.error(
        at.map_or_else(TokenStream::new, |token| token.into_token_stream()),
        format!(
            "`#[fail_fast]` goes on a function, a `for` loop or a `while let` loop, not on {what}\n\
             help: put it on the function that contains the loop to run in parallel"
        ),
    );
    with_errors(errors, input)
}

/// `#[fail_fast]` on a function: rewrite its marked loops, or its one outermost loop.
fn function_form(mut function: ItemFn, defaults: &Options, mut errors: Errors) -> TokenStream {
    crate::grouping::parenthesize(&mut function);
    find::adopt_renamed_markers(&mut function.block);
    find::attribute_nested_functions(&mut function.block, defaults.krate.as_ref());
    let opened = Opened::open(&mut function.block, &mut errors);
    let original = function.clone();
    let name = function.sig.ident.clone();
    if !find::has_markers(&function.block) && !opened.refused {
        match find::mark_the_outermost_loop(&mut function) {
            Ok(()) => {}
            Err(NotOne::None(hidden, plain)) if hidden.is_empty() && !plain.is_empty() => {
                for (at, what) in plain {
                    errors.error_at(
                        at,
                        format!(
                            "`#[fail_fast]` on `{name}` cannot run {what} in parallel: its iterations have no items of their own to split among threads\n\
                             help: write it as a `for` loop over an iterator, or as a `while let` loop over a \"next\" call (`while let Ok(job) = rx.recv()`, `while let Some(item) = queue.pop()`), which `#[fail_fast]` runs in parallel"
                        ),
                    );
                }
            }
            Err(NotOne::None(hidden, _)) if hidden.is_empty() => errors.error(
                &name,
                format!(
                    "`{name}` has no `for` or `while let` loop to run in parallel\n\
                     help: `#[fail_fast]` rewrites the function's outermost `for` loop (or, with none, its outermost `while let` loop): put it on the function that contains the loop"
                ),
            ),
            Err(NotOne::None(hidden, _)) => {
                for (at, kind, inside) in hidden {
                    let picks = match kind {
                        "`for` loop" => "outermost `for` loop",
                        _ => "outermost `while let` loop, when it has no outermost `for` loop",
                    };
                    errors.error_at(
                        at,
                        format!(
                            "this {kind} is inside {inside}, so `#[fail_fast]` on `{name}` does not pick it: it rewrites the function's {picks}\n\
                             help: mark it: write `#[fail_fast]` on this {kind}, inside `{name}`"
                        ),
                    );
                }
            }
            Err(NotOne::Several(loops, kind)) => {
                let count = loops.len();
                for at in loops {
                    errors.error_at(
                        at,
                        format!(
                            "`{name}` has {count} outermost {kind} loops: which should run in parallel?\n\
                             help: mark each loop that should run in parallel with `#[fail_fast]`; unmarked loops stay sequential"
                        ),
                    );
                }
            }
        }
    }
    let locals = Locals::of_function(&function.sig, &function.block);
    let mut block = (*function.block).clone();
    let mut phases = Checked {
        function: Function {
            signature: Some(&function.sig),
            guards: races::guards(&function.block),
            fn_muts: races::fn_mut_callables(&function.sig, &function.block),
            signature_checked: false,
        },
        errors: &mut errors,
        body_compiles: true,
        receiver_made_mut: std::cell::Cell::new(false),
    };
    Walk::new(defaults, Some(&function.sig), locals, &mut phases).visit_block_mut(&mut block);
    let body_compiles = phases.body_compiles;
    if phases.receiver_made_mut.get() {
        if let Some(syn::FnArg::Receiver(receiver)) = function.sig.inputs.first_mut() {
            // `&mut self` is written out as `mut self: &mut Self`, the same receiver.
            receiver.reference = None;
            receiver.colon_token.get_or_insert_with(Default::default);
            receiver.mutability = Some(Default::default());
        }
    }
    if !errors.is_empty() {
        let mut original = original;
        find::strip_markers(&mut original.block);
        if !body_compiles {
            // The body's `?` or `.await` would only add errors about the same mistake.
            original.block = syn::parse_quote!({ loop {} });
            original
                .attrs
                .push(syn::parse_quote!(#[allow(unused_variables)]));
        }
        original.block.stmts.splice(0..0, defaults.still_used());
        return with_errors(errors, opened.close(original.into_token_stream()));
    }
    *function.block = block;
    lints::allow_expected_loop_lints(&mut function.attrs);
    opened.close(function.into_token_stream())
}

/// `#[fail_fast]` directly on a `for` or `while let` loop (nightly, with
/// `stmt_expr_attributes` and `proc_macro_hygiene`).
fn loop_form(syntax: LoopSyntax, options: &Options, mut errors: Errors) -> TokenStream {
    let original = syntax.clone();
    // The variables outside the loop cannot be seen: any of them may be `mut`.
    let mut phases = Checked {
        function: Function {
            signature: None,
            guards: std::collections::HashSet::new(),
            fn_muts: std::collections::HashMap::new(),
            signature_checked: false,
        },
        errors: &mut errors,
        body_compiles: true,
        receiver_made_mut: std::cell::Cell::new(false),
    };
    let expanded = Walk::new(options, None, Locals::unknown(), &mut phases)
        .loop_alone(syntax, syn::parse_quote!(#[fail_fast]));
    if !errors.is_empty() {
        let mut original = original;
        find::strip_markers(original.body_mut());
        // One expression, in a block, as the attribute's place takes: the errors and the loop
        // side by side would get rustc's "macro expansion ignores keyword `for`" too.
        let code = with_errors(errors, original.into_expr().into_token_stream());
        return quote!({ #code });
    }
    expanded.into_token_stream()
}

/// The errors, followed by the user's code: it still compiles, so no cascade of errors about
/// a missing item follows.
fn with_errors(errors: Errors, code: TokenStream) -> TokenStream {
    let errors = errors.into_result().err().map(|e| e.to_compile_error());
    quote!(#errors #code)
}

fn describe_item(item: &Item) -> &'static str {
    match item {
        Item::Struct(_) => "a struct",
        Item::Enum(_) => "an enum",
        Item::Impl(_) => "an impl block",
        Item::Trait(_) => "a trait",
        Item::Mod(_) => "a module",
        Item::Const(_) | Item::Static(_) => "a constant",
        Item::Type(_) => "a type alias",
        Item::Use(_) => "a `use`",
        _ => "this item",
    }
}

/// The phases after the walk: each loop is checked, then expanded.
struct Checked<'a> {
    function: Function<'a>,
    errors: &'a mut Errors,
    /// Whether the function's body still compiles once the markers are removed: not when its
    /// signature cannot take the loops' exits, nor with `.await` outside async code.
    body_compiles: bool,
    /// Whether a loop gives back a `self` that is not `mut` (see `Kept::receiver_made_mut`).
    receiver_made_mut: std::cell::Cell<bool>,
}

impl Phases for Checked<'_> {
    fn end_iteration(&self, of: &LoopAt, at: Span) -> Expr {
        end_iteration(&named(&of.options, of.span), at)
    }

    fn early_return(&self, of: &LoopAt, ret: &ExprReturn, written: Option<&Type>) -> Expr {
        let named = named(&of.options, of.span);
        // Where the function's type does not say what the exit carries (`impl Debug`, written
        // `_`), a thread loop's check after it cannot pick the parts of the value that a
        // worker thread sends back: each `return` checks its own, at `for` (see `sent_parts`).
        match written.is_none_or(opaque) && of.kind == Kind::Thread {
            true => {
                let mut ret = ret.clone();
                if let Some(value) = &mut ret.expr {
                    sent_parts(&named, hygienic(of.span), value);
                }
                early_return(&named, &ret, written, of)
            }
            false => early_return(&named, ret, written, of),
        }
    }

    fn failure_return(&self, of: &LoopAt, ret: &ExprReturn, written: &Type) -> Expr {
        failure_return(&named(&of.options, of.span), ret, written)
    }

    fn changed_shared(&self, of: &LoopAt, call: &ExprMethodCall) -> Option<syn::Stmt> {
        changed_container(&named(&of.options, of.span), of.kind, call)
    }

    fn parallel_loop(&mut self, described: ParallelLoop) -> Expr {
        self.body_compiles &= check::parallel_loop(&described, &mut self.function, self.errors);
        parallel_loop(described)
    }

    fn misplaced(&mut self, marker: &Attribute, what: &str) {
        check::misplaced(marker, what, self.errors);
    }

    fn keep(&self, of: &LoopAt, kept: &[Kept]) -> (syn::Stmt, Vec<syn::Stmt>) {
        let named = named(&of.options, of.span);
        let at = hygienic(of.span);
        let cell = kept_cell(of);
        let names = kept.iter().map(|kept| &kept.name);
        // A thread loop's first `return` takes them on a pool thread: each must be `Send`,
        // which is checked first, at `for`, in the loop's terms (see `KeptForReturn`).
        let sent = kept.iter().filter(|_| of.kind == Kind::Thread).map(|kept| {
            let name = &kept.name;
            quote_spanned!(at=> #named::kept_for_return(&#name);)
        });
        let before = syn::parse_quote_spanned!(at=> let #cell = {
            #(#sent)*
            #named::Kept::keep((#(#names,)*))
        };);
        if !kept.iter().any(|kept| kept.used_after) {
            return (before, Vec::new());
        }
        if kept.iter().any(|kept| kept.receiver_made_mut) {
            self.receiver_made_mut.set(true);
        }
        let back = Ident::new("__failfast_back", at);
        let mut after = vec![syn::parse_quote_spanned!(at=> let #back = #cell.into_kept();)];
        for (index, kept) in kept.iter().enumerate() {
            let Kept { name, mutable, .. } = kept;
            let index = syn::Index::from(index);
            after.push(match (kept.used_after, mutable) {
                (false, _) => continue,
                // Assigned, so that its `let mut` is still needed.
                (true, true) => syn::parse_quote_spanned!(at=> #name = #back.#index;),
                (true, false) => syn::parse_quote_spanned!(at=> let #name = #back.#index;),
            });
            // Read once: the code after the loop may only mention the name (a field of that
            // name, a shadowing `let`), which would leave it unused, or assign to it before
            // reading it.
            after.push(syn::parse_quote_spanned!(at=> let _ = &#name;));
        }
        (before, after)
    }

    fn take_kept(&self, of: &LoopAt, moved: &[Option<Ident>]) -> syn::Stmt {
        let at = hygienic(of.span);
        let cell = kept_cell(of);
        let taken = Ident::new("__failfast_taken", at);
        let first = moved.iter().flatten().next().map_or(of.span, Ident::span);
        let end = end_iteration(&named(&of.options, of.span), first);
        let pattern = moved.iter().map(|name| match name {
            Some(name) => quote!(#name),
            None => quote_spanned!(at=> _),
        });
        syn::parse_quote_spanned! {at=>
            let (#(#pattern,)*) = match #cell.take() {
                ::core::option::Option::Some(#taken) => #taken,
                ::core::option::Option::None => #end,
            };
        }
    }
}

/// The cell that keeps the variables of the loop `of` for its first `return` (see `kept`).
fn kept_cell(of: &LoopAt) -> Ident {
    Ident::new(&format!("__failfast_kept_{}", of.number), hygienic(of.span))
}

/// The path of the runtime's items for the macro, for a loop with these `options`.
fn private(options: &Options, span: Span) -> TokenStream {
    let span = hygienic(span);
    match &options.krate {
        Some(krate) => quote_spanned!(span=> #krate::__private),
        None => quote_spanned!(span=> ::failfast::__private),
    }
}

/// The path of the runtime's items that rustc may name in an error (see
/// `failfast_runtime::rewrite`): `failfast::parallel_loop`.
fn named(options: &Options, span: Span) -> TokenStream {
    named_at(options, span)
}

fn named_at(options: &Options, span: Span) -> TokenStream {
    let span = hygienic(span);
    match &options.krate {
        Some(krate) => quote_spanned!(span=> #krate::parallel_loop),
        None => quote_spanned!(span=> ::failfast::parallel_loop),
    }
}

/// Where a place (`owned`, `cfg.name`) is reported: its last name.
fn place_span(place: &Expr) -> Span {
    match place {
        Expr::Field(field) => match &field.member {
            syn::Member::Named(name) => name.span(),
            syn::Member::Unnamed(index) => index.span,
        },
        _ => syn::spanned::Spanned::span(place),
    }
}

/// The check that `place` (a variable or a field of one), which a loop's body moves out, is
/// `Copy`, with the error of `check` (`moved_by_return` or `moved_by_iteration`) at the place.
/// A `&mut` is reborrowed, and gives nothing to check (see
/// `failfast_runtime::rewrite::Returned`); a field is reached through a raw pointer, as `&`
/// of a packed struct's field is refused.
///
/// The autoref that tells a `&mut` apart picks a type for a variable whose type is not known
/// yet (`&mut _`, from `Reborrowed`'s impl), which code after the loop would then contradict:
/// a variable whose type only that code may give (`let limit = Default::default();`) is
/// checked by a cast to the trait object instead, which leaves its type to rustc's later
/// inference; such a value is not seen to be a `&mut`.
fn moved_check(named: &TokenStream, place: &Expr, check: &str) -> TokenStream {
    let at = hygienic(place_span(place));
    let moved = Ident::new("__failfast_moved", at);
    let check = Ident::new(check, at);
    let value = match place {
        Expr::Field(_) => quote_spanned!(at=> #named::moved_place(::core::ptr::addr_of!(#place))),
        _ => quote_spanned!(at=> #named::returned_value(&#place)),
    };
    quote_spanned! {at=>
        {
            use #named::{MovedValue as _, Reborrowed as _};
            if let ::core::option::Option::Some(#moved) = (&#value).__failfast_moved() {
                #named::#check(#moved);
            }
        }
    }
}

fn hygienic(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// An option's `value` (`workers`, `timeout`, `deadline`) as a block that gives it the type
/// `ty`, at the value's own tokens: rustc infers the value's type from it
/// (`cfg.timeout.into()`) and reports a value of another type there, with its own conversion
/// help (`limit.try_into().unwrap()`), not as an argument of the runtime's function.
fn typed_at(value: &Expr, ty: &TokenStream, name: &str) -> TokenStream {
    let at = hygienic(syn::spanned::Spanned::span(value));
    let typed = Ident::new(name, at);
    quote_spanned!(at=> { let #typed: #ty = #value; #typed })
}

/// `continue` of the parallel loop: the iteration is done.
///
/// The `return` and the call's parentheses are at the user's `continue`, so that the
/// expression's span is exactly the user's: a lint that quotes it (clippy's `manual_let_else`)
/// quotes `continue`, not the attribute.
fn end_iteration(named: &TokenStream, span: Span) -> Expr {
    let at = hygienic(span);
    let keyword = quote_spanned!(span=> return);
    let mut call = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, TokenStream::new());
    call.set_span(span);
    parse(quote_spanned!(at=> #keyword #named::LoopStep::success #call))
}

/// A changing method (by name: `push`, `insert`, see `races::change_of`) called in the body on
/// a place the iterations share: a statement for before the call's, which never runs and which
/// rustc reports at the method if the place is a standard container (see
/// `failfast_runtime::rewrite::changed`). The macro cannot tell from the source: a field's type
/// is not there, and a type of the user's own may change through `&self` (a `DashMap`). Apart
/// from the user's statement, so that its lints and rustc's suggestions for it stay the user's;
/// the place is taken with `addr_of!`, which a packed struct's field allows.
fn changed_container(named: &TokenStream, kind: Kind, call: &ExprMethodCall) -> Option<syn::Stmt> {
    let change = races::change_of(&call.method.to_string(), call.args.len())?;
    let at = hygienic(call.method.span());
    let receiver = indexes_by_reference(named, at, &call.receiver);
    let check = match kind {
        Kind::Thread => quote_spanned!(at=> changed_by_thread_iterations),
        Kind::Async => quote_spanned!(at=> changed_by_async_iterations),
    };
    let changed = match change {
        races::Change::Container => quote_spanned!(at=> __failfast_changed),
        races::Change::Taken => quote_spanned!(at=> __failfast_taken),
        races::Change::Stepped => quote_spanned!(at=> __failfast_stepped),
        races::Change::ReadBuffered => quote_spanned!(at=> __failfast_read_buffered),
        races::Change::Hashed => quote_spanned!(at=> __failfast_hashed),
    };
    // No `#[allow]`, which a `#![forbid]` of the same lint refuses: the place's tokens are the
    // user's, and raise the lints they raise in the user's statement, at the same spot, which
    // rustc reports once. (A statement with an `#[allow]` of its own gets no check.)
    Some(syn::parse_quote_spanned! {at=>
        if false {
            #named::#check((&#named::changes(::core::ptr::addr_of!(#receiver))).#changed());
        }
    })
}

/// `place` with each index's variables taken by reference (`grid[an_index(&(i)) + 1]`), which
/// gives the index its type and moves nothing (`table[job.name]` for an `Index<String>`).
fn indexes_by_reference(named: &TokenStream, at: Span, place: &Expr) -> Expr {
    match place {
        Expr::Index(element) => {
            let base = indexes_by_reference(named, at, &element.expr);
            let index = index_value(named, at, &element.index);
            parse(quote_spanned!(at=> #base[#index]))
        }
        Expr::Field(field) => {
            let mut field = field.clone();
            *field.base = indexes_by_reference(named, at, &field.base);
            Expr::Field(field)
        }
        Expr::Paren(paren) => {
            let mut paren = paren.clone();
            *paren.expr = indexes_by_reference(named, at, &paren.expr);
            Expr::Paren(paren)
        }
        Expr::Group(group) => indexes_by_reference(named, at, &group.expr),
        Expr::Unary(unary) => {
            let mut unary = unary.clone();
            *unary.expr = indexes_by_reference(named, at, &unary.expr);
            Expr::Unary(unary)
        }
        other => other.clone(),
    }
}

/// An index (one `changes::plain_index` accepts) with each variable, field and element in it
/// taken by reference: `an_index(&(name)) + ""` moves no `name`.
fn index_value(named: &TokenStream, at: Span, index: &Expr) -> TokenStream {
    match index {
        Expr::Path(_) | Expr::Field(_) => quote_spanned!(at=> #named::an_index(&(#index))),
        Expr::Index(_) => {
            let place = indexes_by_reference(named, at, index);
            quote_spanned!(at=> #named::an_index(&(#place)))
        }
        Expr::Cast(cast) => {
            let value = index_value(named, at, &cast.expr);
            let ty = &cast.ty;
            quote_spanned!(at=> (#value as #ty))
        }
        Expr::Binary(binary) => {
            let (left, right) = (
                index_value(named, at, &binary.left),
                index_value(named, at, &binary.right),
            );
            let op = &binary.op;
            quote_spanned!(at=> (#left #op #right))
        }
        Expr::Unary(unary) => {
            let value = index_value(named, at, &unary.expr);
            let op = &unary.op;
            quote_spanned!(at=> (#op #value))
        }
        Expr::Reference(reference) => {
            let value = index_value(named, at, &reference.expr);
            let mutability = &reference.mutability;
            quote_spanned!(at=> (&#mutability #value))
        }
        Expr::Paren(paren) => index_value(named, at, &paren.expr),
        Expr::Group(group) => index_value(named, at, &group.expr),
        Expr::Range(range) => {
            let start = range
                .start
                .as_ref()
                .map(|start| index_value(named, at, start));
            let end = range.end.as_ref().map(|end| index_value(named, at, end));
            let limits = &range.limits;
            quote_spanned!(at=> (#start #limits #end))
        }
        other => quote!(#other),
    }
}

/// `return value` in the body: the loop's exit, with the function's value.
///
/// Where the function's return type is written, the value is given that type first, as the
/// sequential `return` gives it: it then coerces as there (`&&str` to `&str`, `Box<E>` to
/// `Box<dyn Error>`), where the exit's type is not yet known to rustc.
///
/// Where a user's macro in the body may hide a `return Ok(..)` of its own, that `return` gives
/// the iterations the function's type, which rustc refuses at `for` and at the macro call
/// (see `parallel_loop`): the exit is then made at `for` too, where rustc leaves out the same
/// report, so that a `return` the user wrote is not pointed at. Only where the type is
/// written, which the value is given first: an error about the value is still at the value.
/// (Where it is not, a value of the wrong type is reported at the exit, which must stay at
/// the `return`; most user macros do not return.)
fn early_return(
    named: &TokenStream,
    ret: &ExprReturn,
    written: Option<&Type>,
    of: &LoopAt,
) -> Expr {
    let ExprReturn {
        return_token, expr, ..
    } = ret;
    let at = hygienic(return_token.span);
    // `return;` where the function returns a `Result` or an `Option`: rustc's own error
    // would be about the iteration's type (it names `ControlFlow`), so the macro says what
    // rustc says of the sequential loop.
    if let (None, Some(kind)) = (expr, written.and_then(result_or_option)) {
        let value = match kind {
            "Result" => "`return Ok(..);` or `return Err(..);`",
            _ => "`return Some(..);` or `return None;`",
        };
        let message = format!(
            "`return;` in a function whose return type is not `()`: it returns {} `{kind}`\n\
             help: return a value of its type, {value}, or end the iteration with `continue`",
            if kind == "Option" { "an" } else { "a" }
        );
        return parse(quote_spanned!(return_token.span=> ::core::compile_error!(#message)));
    }
    let value = match (expr, written) {
        (Some(value), Some(ty)) => {
            let typed = Ident::new("__failfast_returned", at);
            quote_spanned!(at=> { let #typed: #ty = #value; #typed })
        }
        (Some(value), None) => quote!(#value),
        (None, _) => quote_spanned!(at=> ()),
    };
    let exit_at = match of.past_macros && written.is_some() {
        true => of.span,
        false => ret.return_token.span,
    };
    return_through(
        ret,
        quote_spanned!(at=> #named::LoopStep::from_exit),
        exit_at,
        value,
    )
}

/// In a `return Ok(part)`, `Err(part)` or `Some(part)` of a thread loop whose exit's type is not
/// written, or written with a `_` for an `impl Trait` (see `Checked::early_return`): the part, checked first at `at` (the loop's `for`)
/// to be `Send`, so that rustc reports one that is not with the loop's message, where the
/// loop's own bound on the exit would name the runtime's function (rustc leaves out that
/// report, of the same type at the same place). Under `if false`: nothing runs.
fn sent_parts(named: &TokenStream, at: Span, value: &mut Expr) {
    let Expr::Call(call) = value else { return };
    let constructor = match &*call.func {
        Expr::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|last| &last.ident)
        }
        _ => None,
    };
    let known = constructor.is_some_and(|name| name == "Ok" || name == "Err" || name == "Some");
    if !known || call.args.len() != 1 {
        return;
    }
    let part = Ident::new("__failfast_part", at);
    let written = &call.args[0];
    let checked = quote_spanned! {at=>
        {
            let #part = #written;
            if false {
                #named::sent_back(&#part);
            }
            #part
        }
    };
    call.args[0] = parse(checked);
}

/// `return CALLEE(VALUE)` in place of the user's `return`: the call's parentheses end where
/// the user's `return` does, so that the expression's span is exactly the user's (see
/// `end_iteration`).
fn return_through(
    ret: &ExprReturn,
    callee: TokenStream,
    callee_at: Span,
    value: TokenStream,
) -> Expr {
    let ExprReturn {
        attrs,
        return_token,
        expr,
    } = ret;
    let at = hygienic(return_token.span);
    let end = expr
        .as_ref()
        .and_then(|value| value.to_token_stream().into_iter().last())
        .map_or(return_token.span, |last| match last {
            proc_macro2::TokenTree::Group(group) => group.span_close(),
            last => last.span(),
        });
    let mut call = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, value);
    call.set_span(end);
    // The callee's path is moved to `callee_at` (it came at the loop). Mostly the user's
    // `return`: an error about the value returned (E0515, "returns a value referencing data
    // owned by the current function") then spans `return ..`, as it spans the sequential
    // loop's value, and not the loop from `for` on. Beside a user's macro that may return, the
    // loop's `for` (see `early_return`). Moved only: each token keeps its hygiene, by which a
    // `crate = ` path written in a `macro_rules!` (`$crate::ff`) resolves.
    let callee: TokenStream = callee
        .into_iter()
        .map(|mut token| {
            token.set_span(token.span().located_at(callee_at));
            token
        })
        .collect();
    parse(quote_spanned!(at=> #(#attrs)* #return_token #callee #call))
}

/// `return Err(e)` of a loop that only fails (see `model::failure_returns`): the value, of the
/// function's written type (to which the sequential `return` coerces it), becomes the
/// iteration's failure, `Err(e)` of a `Result<(), E>`.
fn failure_return(named: &TokenStream, ret: &ExprReturn, written: &Type) -> Expr {
    let at = hygienic(ret.return_token.span);
    let typed = Ident::new("__failfast_returned", at);
    let expr = &ret.expr;
    let value = quote_spanned!(at=> { let #typed: #written = #expr; #typed });
    return_through(
        ret,
        quote_spanned!(at=> #named::failure_of),
        ret.return_token.span,
        value,
    )
}

/// `"Result"` or `"Option"` if `ty` is written as one (`Result<T, E>`, `io::Result<T>`,
/// `Option<T>`): a type that is surely not `()`, as an alias may be. Not an associated type
/// of that name (`Self::Result`, `<T as Visit>::Result`, `V::Result`, a visitor's `()`):
/// every segment before the last is a module's, in lower case. Stricter than the model's
/// `returns_fallible`, which picks the iterations' flavor and may guess (`IoResult`): a guess
/// here would refuse a program that compiles.
fn result_or_option(ty: &Type) -> Option<&'static str> {
    let Type::Path(path) = ty else {
        return None;
    };
    let modules = path.path.segments.iter().rev().skip(1);
    if path.qself.is_some()
        || modules
            .into_iter()
            .any(|segment| segment.ident.to_string().starts_with(char::is_uppercase))
    {
        return None;
    }
    let last = path.path.segments.last()?;
    match last.ident.to_string().as_str() {
        "Result" => Some("Result"),
        "Option" => Some("Option"),
        _ => None,
    }
}

fn parallel_loop(described: ParallelLoop) -> Expr {
    let ParallelLoop {
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
        body,
        kind,
        exit,
        exit_typed,
        exit_aliased,
        concrete,
        generic,
        items_typed,
        flavor,
        returns,
        user_macros,
        may_exit,
        ..
    } = described;
    let mut attrs = attrs;
    lints::allow_expected_loop_lints(&mut attrs);
    let macros = !user_macros.is_empty();
    let at = hygienic(span);
    let private = private(&options, span);
    let named = named(&options, span);
    // An expression is evaluated first, before the input, which it may read
    // (`workers = jobs.len()` over `for job in jobs`).
    let mut workers_first = None;
    let workers = match &options.workers {
        Some(Workers::Literal(literal)) => quote!(#literal),
        // Checked in a call located at the loop itself, not at `at`: `#[track_caller]`
        // reports any span of the expansion as the attribute (see `rewrite::workers`).
        Some(Workers::Expr(expr)) => {
            let named = match &options.krate {
                Some(krate) => quote_spanned!(span=> #krate::parallel_loop),
                None => quote_spanned!(span=> ::failfast::parallel_loop),
            };
            let usize = quote_spanned!(hygienic(syn::spanned::Spanned::span(expr))=> ::core::primitive::usize);
            let value = typed_at(expr, &usize, "__failfast_workers");
            let workers = Ident::new("__failfast_workers", at);
            let call = quote_spanned!(span=> #named::workers(#value));
            workers_first = Some(quote_spanned!(at=> let #workers = #call;));
            quote!(#workers)
        }
        None => quote_spanned!(at=> #private::default_workers()),
    };
    let outcome = Ident::new("__failfast_outcome", at);
    // With `stop`, `timeout` or `deadline`, the loop may end stopped: it then leaves the way
    // `?` on `Err(Stopped)` would, through the return type's `FromStopped`, which reports a
    // type that cannot hold the stop at the option.
    // Every token of these calls is at the option (or the token's expression), so that
    // rustc's errors about them point there and nowhere else.
    let stopped = options.stopped_by().map(|option| {
        let option_at = hygienic(option.span());
        let stopped = Ident::new("__failfast_stopped", option_at);
        let private = self::private(&options, option.span());
        let from = quote_spanned!(option_at=> #private::FromStopped::from_stopped(#stopped));
        (stopped, quote_spanned!(at=> return #from))
    });
    let stop = options.stop.as_ref().map(|(_, token)| {
        let token_span = syn::spanned::Spanned::span(token);
        let named = self::named(&options, token_span);
        // `&(value)`, its `&` at the value's first token and its `)` at the last: rustc's error
        // about a value that is not a `StopToken` then underlines all of it, where a proc
        // macro's span of an expression is its first token only.
        let last = quote::ToTokens::to_token_stream(token)
            .into_iter()
            .last()
            .map_or(token_span, |last| last.span());
        let mut grouped = proc_macro2::Group::new(
            proc_macro2::Delimiter::Parenthesis,
            quote::ToTokens::to_token_stream(token),
        );
        grouped.set_span(hygienic(last));
        quote_spanned!(hygienic(token_span)=> #named::stop_token(&#grouped))
    });
    let nested = matches!(exit, Exit::ParallelLoop);
    // A loop chain that only fails, with no `return` nor a user's macro that may hide one:
    // its iterations return `<Ret as Fallible>::Failing` (`Result<(), E>`), tied by
    // `FailsThrough`, so that rustc's errors about a `?` in the body name the function's
    // error type alone.
    let failing = !nested && flavor == Flavor::Fallible && !returns && user_macros.is_empty();
    // A loop whose iterations cannot end it (see `ParallelLoop::may_exit`): they return
    // `Result<(), Infallible>`, and nothing comes back from them, so neither the function's
    // error type nor its return type must be `Send`.
    let never_exits = !nested && !may_exit;
    let exit = match (exit, flavor) {
        _ if never_exits => quote_spanned! {at=>
            match #outcome {
                ::core::result::Result::Ok(()) => {}
                ::core::result::Result::Err(__failfast_never) => match __failfast_never {},
            }
        },
        (Exit::ParallelLoop, _) => quote_spanned! {at=>
            if let ::core::option::Option::Some(#outcome) = #named::LoopStep::stop(#outcome) {
                return #outcome;
            }
        },
        (_, Flavor::Returns) if user_macros.is_empty() => quote_spanned! {at=>
            if let ::core::ops::ControlFlow::Break(#outcome) = #outcome {
                return #outcome;
            }
        },
        (_, flavor) => {
            // When a macro in the body expands to `return Ok(..)` (or `return;`), this is what
            // rustc refuses: its error points at the macro call.
            let tie_at = user_macros.first().copied().unwrap_or(span);
            let tie = named_at(&options, tie_at);
            // At a macro call, the message says that it is the cause only if it returns; with
            // several, that the cause may be another one (which of them returns is not known
            // here, and rustc reports the conflict where the bound is).
            let bound = match user_macros.len() {
                0 if failing => quote_spanned!(hygienic(tie_at)=> FailsThrough),
                0 => quote_spanned!(hygienic(tie_at)=> ExitsThrough),
                1 => quote_spanned!(hygienic(tie_at)=> ExitsPastMacro),
                _ => quote_spanned!(hygienic(tie_at)=> ExitsPastMacros),
            };
            // A loop with no `?` ties its `ControlFlow<Ret>` (see
            // `failfast_runtime::rewrite::Return`), only at a macro call.
            let how = match flavor {
                Flavor::Fallible => quote_spanned!(hygienic(tie_at)=> #tie::Tried),
                Flavor::Returns => quote_spanned!(hygienic(tie_at)=> #tie::Return),
            };
            let exit = match user_macros.is_empty() {
                true if failing => quote_spanned!(hygienic(tie_at)=> #tie::#bound::failed),
                true => quote_spanned!(hygienic(tie_at)=> #tie::#bound::exit),
                false => quote_spanned!(hygienic(tie_at)=> #tie::#bound::<_, #how>::exit),
            };
            let argument = Ident::new("__failfast_outcome", hygienic(tie_at));
            quote_spanned! {at=>
                if let ::core::option::Option::Some(#outcome) = #exit(#argument) {
                    return #outcome;
                }
            }
        }
    };
    // Each variable from outside that a `return` of the body moves out is checked at the
    // variable, so that rustc reports a value that is not `Copy` in the loop's terms, not as a
    // move out of the body's closure (a thread loop's) or out of a variable moved by an earlier
    // iteration (an async loop's); so is each place that the body's own flow moves out
    // elsewhere.
    let moved_checks: TokenStream = moved_by_iteration
        .iter()
        .map(|place| moved_check(&named, place, "moved_by_iteration"))
        .chain(
            moved
                .iter()
                .map(|name| syn::parse_quote!(#name))
                .chain(moved_by_return.iter().cloned())
                .map(|place| moved_check(&named, &place, "moved_by_return")),
        )
        // Checked as they are, with no autoref: an untyped one's type is left to rustc, and a
        // `&mut` handed back is moved, not reborrowed (see `moved_check`).
        .chain(moved_untyped.iter().chain(&handed_back).map(|name| {
            let at = hygienic(name.span());
            quote_spanned!(at=> #named::moved_by_return(&#name);)
        }))
        .collect();
    // Each place a thread loop's body shares is checked at `for`, so that rustc reports one
    // that is not `Sync` in the loop's terms, not as a bound of the body's closure (the same
    // error at the same place, which it then leaves out).
    let shared: Vec<TokenStream> = shared
        .iter()
        .map(
            |Shared {
                 place,
                 through_a_field,
                 holds_closure,
             }| {
                // With no type parameter in sight, the loop's message on the whole variable (see
                // `failfast_runtime::rewrite::SharedByIterations`); not on a closure, which it
                // would name only `{closure@..}`, where rustc's own report names its capture.
                let shared_check = match concrete && !*holds_closure {
                    true => quote_spanned!(at=> shared_by_iterations_concrete),
                    false => quote_spanned!(at=> shared_by_iterations),
                };
                if let Expr::Field(_) = place {
                    // Not `&`: a packed struct's field may be unaligned.
                    return quote_spanned! {at=>
                        #named::#shared_check(#named::shared_field(::core::ptr::addr_of!(#place)));
                    };
                }
                let mut borrowed = proc_macro2::Group::new(
                    proc_macro2::Delimiter::Parenthesis,
                    quote_spanned!(at=> &#place),
                );
                borrowed.set_span(at);
                // A reference used only through its fields shares the whole value: the message
                // says so, and how to share the field alone.
                // Where a type parameter of the function's own is in sight, rustc follows the
                // check to it and suggests its bound (`H: Sync`); elsewhere the loop's message.
                let check = match (through_a_field, generic) {
                    (true, false) => quote_spanned!(at=> shared_through_reference),
                    (true, true) => quote_spanned!(at=> shared_through_generic_reference),
                    (false, _) => shared_check,
                };
                quote_spanned!(at=> #named::#check(#borrowed);)
            },
        )
        .collect();
    // The value a loop's exit carries back from a worker thread is checked there too, by a
    // cast at `for` (see `failfast_runtime::rewrite::returned`); not for a loop nested in a
    // parallel loop, whose `return` is that loop's iteration's.
    let exit_sent = match nested || never_exits {
        true => quote!(),
        false => {
            let returned = Ident::new("__failfast_returned", at);
            // The parts of a `Result` or `Option` first, so that rustc reports an `Rc` inside
            // `Err(..)` with the loop's message (see `failfast_runtime::rewrite::Whole`); the
            // `return` before them gives the value its type, which picking a part needs, and
            // does so only where the type is written.
            // An alias that hides what the exit carries gets the loop's message on the whole
            // value (see `failfast_runtime::rewrite::SendBack`).
            let (check, sent_back) = match exit_aliased {
                true => ("exit_aliased", quote_spanned!(at=> sent_back_aliased)),
                false => ("exit", quote_spanned!(at=> sent_back)),
            };
            let sent_back = |value: &Ident| {
                let checks = part_checks(
                    &named,
                    at,
                    &quote_spanned!(at=> #named::whole(&#value)),
                    check,
                    true,
                    None,
                    None,
                );
                quote_spanned!(at=> #checks #named::#sent_back(&#value);)
            };
            let typed = quote_spanned! {at=>
                if false {
                    return #returned;
                }
            };
            let sent = match (exit_typed, failing) {
                // A loop that only fails (see `failing`) carries back the failure alone: the
                // `Err` of a `Result`, nothing of an `Option`. The value of `Ok` stays on the
                // calling thread, and need not be `Send` (`-> Result<Rc<Tree>, E>`).
                (true, true) => {
                    let failure = Ident::new("__failfast_failure", at);
                    let sent = sent_back(&failure);
                    quote_spanned! {at=>
                        #typed
                        let (_, #failure) = {
                            use #named::{NoParts as _, SplitParts as _};
                            (&#named::parts_of(&#returned)).__failfast_parts()
                        };
                        if let ::core::option::Option::Some(#failure) = #failure {
                            #sent
                        }
                    }
                }
                (true, false) => {
                    let sent = sent_back(&returned);
                    quote_spanned!(at=> #typed #sent)
                }
                // Where the type is not known yet, a bound on it checks the failure alone.
                (false, true) => quote_spanned!(at=> #named::failure_sent_back(&#returned);),
                (false, false) => quote_spanned!(at=> #named::sent_back(&#returned);),
            };
            quote_spanned! {at=>
                if let ::core::option::Option::Some(#returned) = #named::returned() {
                    #sent
                    return #returned;
                }
            }
        }
    };
    let crossing = quote!(#(#shared)* #exit_sent);
    // The checks are for rustc alone: under `if false`, which rustc checks as any code and
    // leaves out before code generation, so that they take no room in the function's frame (a
    // debug build gives every value a slot of its own, and a recursion has this frame on every
    // level).
    // A thread loop with options takes them as one `Loop`, as the engine does.
    let settings = stopped.as_ref().map(|_| {
        let stop = stop.as_ref().map(|stop| quote_spanned!(at=> .stop(#stop)));
        let limit = options.limit.as_ref().map(|(name, value)| {
            let method = Ident::new(&name.to_string(), at);
            let value_span = syn::spanned::Spanned::span(value);
            let ty = match name.to_string().as_str() {
                "timeout" => quote_spanned!(value_span=> ::core::time::Duration),
                _ => quote_spanned!(value_span=> ::std::time::Instant),
            };
            let value = typed_at(value, &ty, "__failfast_limit");
            quote_spanned!(at=> .#method(#value))
        });
        quote_spanned!(at=> #private::Loop::new(#workers) #stop #limit)
    });
    let mut body = body;
    let lending = lend(&named, at, &lent, &mut body);
    // A `for` loop's input is evaluated before the loans, as the sequential loop evaluates it
    // before its body: it may borrow a lent variable for a moment (`for id in
    // self.next_batch()`), or read it (`for i in 0..hits.get()`). A `while let`'s head is
    // evaluated while the iterations run: what it uses is not lent.
    let (lending, lending_in_arm) = match (&source, kind) {
        (Source::Input(_), Kind::Async) => (TokenStream::new(), lending),
        _ => (lending, TokenStream::new()),
    };
    let iteration = iteration(&private, &named, at, &body, macros);
    // The moves are checked after the loop, where its body has given the types that its uses
    // settle (`let limit = arg.parse().unwrap();` then `fits(x, limit)`): the check's autoref
    // would pick one of its own for a type still unknown.
    let moved_block = (!moved_checks.is_empty()).then(|| quote!(if false { #moved_checks }));
    let outcome_type = never_exits
        .then(|| quote_spanned!(at=> : ::core::result::Result<(), ::core::convert::Infallible>));
    let assembled = |run: TokenStream| {
        parse(quote_spanned! {at=>
            {
                #(#attrs)*
                let () = {
                    #workers_first
                    #lending
                    let #outcome #outcome_type = #run;
                    #moved_block
                    #exit
                };
            }
        })
    };
    let input = match source {
        Source::Input(input) => input,
        Source::Head(head) => {
            let paths = Paths {
                private: &private,
                named: &named,
                at,
            };
            let stopping = Stopping {
                settings: settings.as_ref(),
                stop: stop.as_ref(),
                stopped: stopped.as_ref(),
            };
            // A thread loop's checks (an async loop's iterations share no thread); and for
            // both, what the head takes from a field of `self` that the body uses too, for
            // rustc to judge at the head's call.
            let taken_checks = head_taken.iter().map(|(place, asks)| {
                let at = hygienic(syn::spanned::Spanned::span(place));
                let asks = Ident::new(asks, at);
                quote_spanned! {at=>
                    #named::taken_by_the_head(
                        (&#named::changes(::core::ptr::addr_of!(#place))).#asks(),
                    );
                }
            });
            let checks = match kind {
                Kind::Thread => quote!(#crossing #(#taken_checks)*),
                Kind::Async => quote!(#(#taken_checks)*),
            };
            let checks = &checks;
            let run = while_let(
                paths,
                &workers,
                stopping,
                kind,
                checks,
                pat,
                items_typed,
                head,
                iteration,
            );
            return assembled(run);
        }
    };
    // The iteration binds the item to the pattern (see `binding`), runs the body, and
    // succeeds unless the body left early: on threads and as a future alike.
    let (param, bind) = binding(&named, at, &pat);
    let iteration = bind(quote_spanned! {at=>
        #iteration
        #named::LoopStep::success()
    });
    let run = match kind {
        Kind::Thread => {
            let moved = moved_parts(&pat);
            // The input's type picks the engine's path (see `failfast_runtime::rewrite::Input`):
            // split by index, pulled by every worker, or pulled by the calling thread.
            // `SITE` is this loop's identity: a recursion that reaches it again shares its limit.
            // Named at the input, so that rustc's error for items that are not `Send` points
            // at the user's input, not at `for`.
            let input_var = Ident::new(
                "__failfast_input",
                hygienic(syn::spanned::Spanned::span(&input)),
            );
            let site = Ident::new("__FAILFAST_SITE", at);
            // Items that are not `Send` are reported here, at the input, by a cast that
            // quotes no line of the runtime (see `failfast_runtime::rewrite::items_of`).
            let input_at = hygienic(syn::spanned::Spanned::span(&input));
            let item = Ident::new("__failfast_item", input_at);
            // The checks of the input's items are calls located at the input: rustc reports an
            // input that is not an iterator once, there (see `items_sent`).
            let named_at_input = named_at(&options, syn::spanned::Spanned::span(&input));
            // Each binding of the pattern first, as for a `while let`'s value: an `Rc` in an
            // `enumerate()` pair gets the loop's message, not rustc's "within `(usize, ..)`".
            // Only when the whole item is not `Send` (see `failfast_runtime::rewrite::Whole`).
            // With no type parameter in sight, the loop's message on the whole item (see
            // `failfast_runtime::rewrite::SendToWorkers`).
            let (check, sent) = match concrete {
                true => (
                    "item_concrete",
                    quote_spanned!(input_at=> sent_to_workers_concrete),
                ),
                false => ("item", quote_spanned!(input_at=> sent_to_workers)),
            };
            let bindings_sent = part_checks(
                &named,
                input_at,
                &quote_spanned!(input_at=> #named_at_input::whole_item(&#input_var)),
                check,
                items_typed,
                moved,
                None,
            );
            // An input that is not an iterator first, by the standard conversion the
            // sequential `for` makes, so that rustc reports it as it reports that loop's, and
            // leaves out its reports of the checks after it (the same bound at the same place).
            let items_sent = quote_spanned! {input_at=>
                let _ = ::core::iter::IntoIterator::into_iter(#named_at_input::value_like(&#input_var));
                #bindings_sent
                if let ::core::option::Option::Some(#item) = #named_at_input::items_of(&#input_var) {
                    #named::#sent(&#item);
                }
            };
            // An input that may hold a capturing closure of this function never takes the
            // shared path: rustc cannot tell yet whether the closure is `Send`, and would take
            // it (see `captures`).
            // Unless the closures' captures are all it may hold that is not `Send`: then their
            // types, known while the path is chosen, stand in for the closures' `Send`.
            let captures = Ident::new("__failfast_captures", at);
            let (paths, probe, described) = match (input_holds_closure, &input_captures) {
                (true, None) => (
                    quote_spanned!(at=> PulledByCaller as _, SplitByIndex as _),
                    quote!(),
                    quote_spanned!(at=> #named::input(&#input_var)),
                ),
                (true, Some(names)) => {
                    let input_at = syn::spanned::Spanned::span(&input);
                    // At the user's names, resolved as the user's code is.
                    let names = names
                        .iter()
                        .map(|name| Ident::new(name, Span::call_site().located_at(input_at)));
                    (
                        quote_spanned!(at=> PulledByCaller as _, SharedByWorkers as _, SplitByIndex as _),
                        quote_spanned!(at=> let #captures = (#(#named::captured(&#names),)*);),
                        quote_spanned!(at=> #named::input_capturing(&#input_var, #captures)),
                    )
                }
                (false, _) => (
                    quote_spanned!(at=> PulledByCaller as _, SharedByWorkers as _, SplitByIndex as _),
                    quote!(),
                    quote_spanned!(at=> #named::input(&#input_var)),
                ),
            };
            let (method, settings) = match settings {
                None => (quote_spanned!(at=> thread_loop), workers),
                Some(settings) => (quote_spanned!(at=> thread_loop_with), settings),
            };
            let run = quote_spanned! {at=>
                match #input {
                    #input_var => {
                        use #named::{#paths};
                        static #site: #private::LoopSite = #private::LoopSite::new();
                        if false {
                            #crossing
                            #items_sent
                        }
                        (&&&#described)
                            .__failfast_path()
                            .#method(#input_var, #settings, &#site, |#param| {
                                #iteration
                            })
                    }
                }
            };
            // The captures' types are taken before the input moves them.
            let run = if probe.is_empty() {
                run
            } else {
                quote_spanned!(at=> { #probe #run })
            };
            match &stopped {
                None => run,
                Some((stopped, leave)) => quote_spanned! {at=>
                    match #run {
                        ::core::result::Result::Ok(#outcome) => #outcome,
                        ::core::result::Result::Err(#stopped) => #leave,
                    }
                },
            }
        }
        Kind::Async => {
            let driver = Ident::new("__failfast_driver", at);
            let item = Ident::new("__failfast_item", at);
            let ended = Ident::new("__failfast_ended", at);
            let input_var = Ident::new("__failfast_input", at);
            let driver_new = match &stop {
                None => quote_spanned!(at=> #private::future::Driver::new(#input_var, #workers)),
                Some(stop) => quote_spanned! {at=>
                    #private::future::Driver::with_stop(
                        #input_var,
                        #workers,
                        ::core::option::Option::Some(#stop),
                    )
                },
            };
            let leave_stopped = stopped.as_ref().map(|(stopped, leave)| {
                quote_spanned! {at=>
                    if let ::core::option::Option::Some(#stopped) = #driver.stopped() {
                        #leave;
                    }
                }
            });
            // The input in a `match`, as the sequential `for` has it: its temporaries
            // (`body.to_uppercase().lines()`) live until the loop has ended. Not those of the
            // `stop` option (a lock's guard), which the driver only reads as it starts.
            quote_spanned! {at=>
                {
                    match #input {
                        #input_var => {
                            #lending_in_arm
                            // The standard conversion first: an input that is not an
                            // iterator gets rustc's report of that loop's, and no other (the
                            // driver's methods, called by path, report the same bound at the
                            // same place, which rustc leaves out).
                            let #input_var = ::core::iter::IntoIterator::into_iter(#input_var);
                            let mut #driver = #driver_new;
                            loop {
                                if let ::core::option::Option::Some(#item) = #private::future::Driver::next_item(&mut #driver) {
                                    #private::future::Driver::start(&mut #driver, async {
                                        let #param = #item.take();
                                        #iteration
                                    });
                                }
                                let #ended = #private::future::Driver::wait(&mut #driver).await;
                                if let ::core::option::Option::Some(#ended) = #ended {
                                    #leave_stopped
                                    break #private::future::Driver::outcome(&#driver, #ended);
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    assembled(run)
}

/// What an async loop lends its iterations (see `failfast_runtime::rewrite::lent`): for each
/// variable in `lent`, before the loop, `let __failfast_lent_NAME = Lent::new(&NAME);`, and in
/// `body`, each use of the variable becomes `(*__failfast_lent_NAME.get())`, at the use's own
/// tokens: the same place, of the same type (so the same methods, lints and messages), reached
/// through a reference that the iteration does not keep across its awaits.
fn lend(named: &TokenStream, at: Span, lent: &[Ident], body: &mut syn::Block) -> TokenStream {
    let mut lending = TokenStream::new();
    let mut uses = LentUses {
        lent: Vec::new(),
        views: None,
        closure_views: None,
        in_closure: false,
        before: Vec::new(),
        in_body: false,
        tail: false,
        at_body: true,
    };
    for name in lent {
        let written = name.to_string();
        let holder = Ident::new(&holder_name(&written), at);
        // The borrow at the variable's first use in the body: a conflict with it (the input
        // moved the variable, or holds a `&mut` of it) is reported there, as the sequential
        // loop's is, not at `for`.
        let borrow = quote_spanned!(name.span()=> &#name);
        lending.extend(quote_spanned! {at=>
            let #holder = #named::Lent::new(#borrow);
        });
        uses.lent.push((written, holder));
    }
    if !uses.lent.is_empty() {
        uses.visit_block_mut(body);
    }
    lending
}

/// Rewrites the uses of lent variables (see [`lend`]) in the body's own flow. The macro lends
/// only variables that the body uses nowhere else and never binds again (see
/// `captures::Used::lendable`); closures, async blocks, other macros and `unsafe` blocks are
/// left as they are all the same, should one hold such a name after all: a use left there
/// borrows the variable itself, as before, which costs the future its `Send`, never its
/// soundness.
///
/// The macros looked into are the rewrite's own `addr_of!`, of its checks of a place's
/// changes, and the standard formatting ones (`println!("{}", hits.get())`), whose arguments
/// are the body's own expressions: there each lent variable is a reference taken just before
/// the call, `{ let hits = __failfast_lent_hits.get(); println!("{}", (*hits).get()) }` (that
/// `hits` with the rewrite's hygiene), which a macro of the same name that the user wrote
/// (and that could hand its arguments to a thread) can only send where `&T` goes: the holder
/// itself is never in a macro's tokens.
///
/// Closures are reached in the same way, in an expression statement with no `.await` (see
/// `captures::views_closures`): the references are taken before the statement, `{ let hits =
/// __failfast_lent_hits.get(); parts.iter().for_each(|p| (*hits).set(..)); }`, so that the
/// closure captures `&T`, as the sequential loop's does, and never the holder; a closure
/// that could go to another thread is `Send` only where `T` is `Sync`.
struct LentUses {
    lent: Vec<(String, Ident)>,
    /// Inside a formatting macro's arguments: the references taken before the call, each with
    /// the holder it is taken from.
    views: Option<Vec<(Ident, Ident)>>,
    /// Inside a statement whose closures are lent views: the references to take before it.
    closure_views: Option<Vec<(Ident, Ident)>>,
    /// Inside a closure of such a statement.
    in_closure: bool,
    /// Whether the statement being visited is its block's last, the body's excepted (see
    /// `captures::views_closures`).
    tail: bool,
    /// Until the body's block is visited.
    at_body: bool,
    /// The views a `let` that stores its closures takes, for statements of their own before
    /// it (see `captures::stores_its_closures`).
    before: Vec<(Ident, Ident)>,
    /// Whether the statement being visited is in the body's own block.
    in_body: bool,
}

impl LentUses {
    /// The holder of the lent variable that `expr` is, if it is one, with the variable as
    /// written there.
    fn holder(&self, expr: &Expr) -> Option<(Ident, Ident)> {
        let Expr::Path(path) = expr else {
            return None;
        };
        if path.qself.is_some() || !path.attrs.is_empty() {
            return None;
        }
        let name = path.path.get_ident()?;
        let written = name.to_string();
        self.lent
            .iter()
            .find(|(lent, _)| *lent == written)
            .map(|(_, holder)| (holder.clone(), name.clone()))
    }

    /// A standard formatting macro's arguments, rewritten with views (see [`LentUses`]): the
    /// views to take before the call, each with its holder.
    fn formatting(&mut self, mac: &mut syn::Macro) -> Vec<(Ident, Ident)> {
        let Some(arguments) = crate::captures::macro_arguments(mac).filter(|a| a.lends) else {
            return Vec::new();
        };
        // Parsed again, to be rewritten in place and written back.
        let Some(mut args) = crate::captures::expression_arguments(mac) else {
            return Vec::new();
        };
        self.views = Some(Vec::new());
        for arg in &mut args {
            match arg {
                // `name = value`: the value is the user's expression.
                Expr::Assign(assign) => self.visit_expr_mut(&mut assign.right),
                arg => self.visit_expr_mut(arg),
            }
        }
        // `{hits}` in the format string: the same place, as a named argument `hits = (*hits)`
        // (the view; the format string, the user's, means the argument by its name).
        let inline = match arguments.inline_lendable {
            true => arguments.inline,
            false => Vec::new(),
        };
        for (name, at) in inline {
            let mut value = Expr::Path(syn::ExprPath {
                attrs: Vec::new(),
                qself: None,
                path: Ident::new(&name, at).into(),
            });
            self.visit_expr_mut(&mut value);
            if !matches!(value, Expr::Path(_)) {
                let name = Ident::new(&name, at);
                args.push(syn::parse_quote_spanned!(at=> #name = #value));
            }
        }
        let views = self.views.take().unwrap_or_default();
        if !views.is_empty() {
            mac.tokens = args.into_token_stream();
        }
        views
    }
}

/// `{ let VIEW = HOLDER.get(); .. MACRO }` (`HOLDER.view()` for `self`): see [`LentUses`].
fn with_views(views: &[(Ident, Ident)], mac: TokenStream) -> Expr {
    let views = views.iter().map(|(view, holder)| take_view(view, holder));
    syn::parse_quote!({ #(#views)* #mac })
}

/// `let VIEW = HOLDER.get();`, or for `self`, `let VIEW = HOLDER.view();` (see
/// `failfast_runtime::rewrite::View`).
fn take_view(view: &Ident, holder: &Ident) -> TokenStream {
    let at = view.span();
    match holds_self(holder) {
        true => quote_spanned!(at=> let #view = #holder.view();),
        false => quote_spanned!(at=> let #view = #holder.get();),
    }
}

/// The name of the holder of the lent variable written `written` (see [`lend`]).
fn holder_name(written: &str) -> String {
    format!("__failfast_lent_{}", written.trim_start_matches("r#"))
}

/// Whether `holder` holds `self`.
fn holds_self(holder: &Ident) -> bool {
    *holder == holder_name("self")
}

impl VisitMut for LentUses {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some((holder, name)) = self.holder(expr) {
            let at = name.span();
            // Every token at the use, so that rustc reports this place there alone. The
            // holder's name has the hygiene of its binding; the others are the use's own
            // tokens' span, which carries the user's edition (an edition-2024 let chain whose
            // scrutinee this is stays one).
            let holder = Ident::new(&holder.to_string(), hygienic(at));
            let views = match self.in_closure {
                true => &mut self.closure_views,
                false => &mut self.views,
            };
            *expr = match views {
                None => syn::parse_quote_spanned!(at=> (*#holder.get())),
                Some(views) => {
                    // The variable's own name, with the rewrite's hygiene: rustc names it so
                    // ("`hits` is a `&` reference"), and the user's `hits` stays theirs.
                    // (Its span set, not made anew from its text: `r#type` stays raw.) `self`
                    // cannot name a binding: its view is `this`, or `this_` where a lent local
                    // of the user's is `this` (their views meet in one block).
                    let of_self = holds_self(&holder);
                    let mut view = match of_self {
                        true => {
                            let mut this = String::from("this");
                            while self
                                .lent
                                .iter()
                                .any(|(lent, _)| lent.trim_start_matches("r#") == this)
                            {
                                this.push('_');
                            }
                            Ident::new(&this, at)
                        }
                        false => name,
                    };
                    view.set_span(hygienic(at));
                    if !views.iter().any(|(taken, _)| *taken == view) {
                        views.push((view.clone(), holder));
                    }
                    match of_self {
                        true => syn::parse_quote_spanned!(at=> (*#view.0)),
                        false => syn::parse_quote_spanned!(at=> (*#view)),
                    }
                }
            };
            return;
        }
        match expr {
            Expr::Closure(_) if self.closure_views.is_some() && self.views.is_none() => {
                let outer = std::mem::replace(&mut self.in_closure, true);
                syn::visit_mut::visit_expr_mut(self, expr);
                self.in_closure = outer;
            }
            Expr::Closure(_) | Expr::Async(_) | Expr::Unsafe(_) => {}
            // A closure's macros are left as they are (see `Places::in_closure`).
            Expr::Macro(_) if self.in_closure => {}
            Expr::Macro(mac)
                if mac
                    .mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|last| last.ident == "addr_of") =>
            {
                if let Ok(mut place) = mac.mac.parse_body::<Expr>() {
                    self.visit_expr_mut(&mut place);
                    mac.mac.tokens = place.into_token_stream();
                }
            }
            // (An attribute on it would be one on a block's tail: not on stable.)
            Expr::Macro(mac) if self.views.is_none() && mac.attrs.is_empty() => {
                let views = self.formatting(&mut mac.mac);
                if !views.is_empty() {
                    *expr = with_views(&views, mac.to_token_stream());
                }
            }
            _ => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if self.closure_views.is_none()
            && self.views.is_none()
            && crate::captures::views_closures(stmt, self.tail, self.in_body)
        {
            self.closure_views = Some(Vec::new());
            let stores = crate::captures::stores_its_closures(stmt);
            // A `let`'s initializer alone: its bindings are the block's.
            let init = match stmt {
                syn::Stmt::Local(syn::Local {
                    init: Some(init), ..
                }) => Some(&mut init.expr),
                _ => None,
            };
            if let Some(init) = init {
                self.visit_expr_mut(init);
                let views = self.closure_views.take().unwrap_or_default();
                if stores {
                    self.before = views;
                } else if !views.is_empty() {
                    **init = with_views(&views, init.to_token_stream());
                }
                return;
            }
            syn::visit_mut::visit_stmt_mut(self, stmt);
            let views = self.closure_views.take().unwrap_or_default();
            if !views.is_empty() {
                let statement = stmt.to_token_stream();
                *stmt = syn::Stmt::Expr(with_views(&views, statement), None);
            }
            return;
        }
        let syn::Stmt::Macro(statement) = stmt else {
            return syn::visit_mut::visit_stmt_mut(self, stmt);
        };
        if self.in_closure {
            return;
        }
        // (An attribute on a block's tail would not be on stable.)
        if self.views.is_some() || !statement.attrs.is_empty() && statement.semi_token.is_none() {
            return;
        }
        let views = self.formatting(&mut statement.mac);
        if views.is_empty() {
            return;
        }
        let mac = &statement.mac;
        let attrs = &statement.attrs;
        let semi = &statement.semi_token;
        *stmt = syn::Stmt::Expr(
            with_views(&views, quote!(#(#attrs)* #mac #semi)),
            statement.semi_token,
        );
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let last = block.stmts.len();
        let body = std::mem::take(&mut self.at_body);
        for (at, mut stmt) in std::mem::take(&mut block.stmts).into_iter().enumerate() {
            self.tail = at + 1 == last && !body;
            self.in_body = body;
            self.visit_stmt_mut(&mut stmt);
            for (view, holder) in std::mem::take(&mut self.before) {
                let view = take_view(&view, &holder);
                block.stmts.push(syn::parse_quote!(#view));
            }
            block.stmts.push(stmt);
        }
    }

    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `Found { hits }` names the field and its value: written out once the value changes.
        if self.holder(&field.expr).is_some() {
            field.colon_token.get_or_insert_with(Default::default);
        }
        syn::visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}

    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// How an iteration of a `for` loop binds its item with the loop's pattern: what takes the
/// item (a closure's parameter, or a `let`'s), and the iteration's code around `inner`.
///
/// A pattern that may be refutable (`Some(x)`, `Shape::Circle { r }`, `1..=3`), which the
/// sequential `for` refuses with "refutable pattern in `for` loop binding", is refused the
/// same way by a `for` over one value of the item's type that never runs, with the pattern's
/// shape (which binds nothing); the iteration binds it with a `match` whose one arm has a
/// guard, so that rustc does not also report it as a closure's parameter or a `let`, which the
/// user did not write, and has no arm to call unreachable when it matches every value (a
/// lint's `#[allow]` would be refused under a `#![forbid]`). The item is `mut` when the
/// pattern borrows it so (`ref mut s`).
fn binding(
    named: &TokenStream,
    at: Span,
    pat: &Pat,
) -> (TokenStream, impl Fn(TokenStream) -> TokenStream) {
    // A closure parameter, like a `let`, takes an or-pattern in parentheses.
    let bound = let_pattern(pat);
    let refutable = may_be_refutable(pat);
    let item = Ident::new("__failfast_bound", at);
    let like = Ident::new("__failfast_like", at);
    // The pattern's shape, which binds nothing to leave unused. A `for` takes an or-pattern
    // as it is, and rustc's `unused_parens` fires on parentheses around one.
    let shape = shape(pat.clone());
    let named = named.clone();
    // A `match` arm, like a `for`, takes an or-pattern as it is.
    let arm = pat.clone();
    let param = match (refutable, borrows_mutably(pat)) {
        (false, _) => bound.clone(),
        (true, false) => quote!(#item),
        (true, true) => quote_spanned!(at=> mut #item),
    };
    let wrap = move |inner: TokenStream| {
        if !refutable {
            return inner;
        }
        quote_spanned! {at=>
            if false {
                if let ::core::option::Option::Some(#like) = #named::whole(&#item).value() {
                    for #shape in ::core::iter::once(#like) {}
                }
            }
            match #item {
                #arm if true => { #inner }
                _ => ::core::unreachable!(),
            }
        }
    };
    (param, wrap)
}

/// Whether `pat` borrows part of its value with `ref mut`.
fn borrows_mutably(pat: &Pat) -> bool {
    struct Mutably(bool);
    impl<'a> syn::visit::Visit<'a> for Mutably {
        fn visit_pat_ident(&mut self, ident: &'a syn::PatIdent) {
            self.0 |= ident.by_ref.is_some() && ident.mutability.is_some();
            syn::visit::visit_pat_ident(self, ident);
        }
    }
    let mut mutably = Mutably(false);
    syn::visit::Visit::visit_pat(&mut mutably, pat);
    mutably.0
}

/// Whether `pat` may not match every value, as far as its form tells: a literal, a range, an
/// or-pattern, a slice, `Some`/`Ok`/`Err`,
/// or an enum's variant (a path of two segments or more: `Shape::Circle`). A struct or tuple
/// struct of one segment (`Point { x, y }`) matches every value unless a field's pattern
/// does not.
fn may_be_refutable(pat: &Pat) -> bool {
    fn variant(path: &syn::Path) -> bool {
        path.segments.len() > 1
            || path.segments.last().is_some_and(|last| {
                matches!(
                    last.ident.to_string().as_str(),
                    "Some" | "None" | "Ok" | "Err"
                )
            })
    }
    match pat {
        // A capitalized name alone (`(a, B)`) is taken for a binding: were it a unit variant
        // or a constant, the check's shape would keep it, and as a binding leave it unused.
        Pat::Ident(ident) => match &ident.subpat {
            Some((_, sub)) => may_be_refutable(sub),
            None => false,
        },
        Pat::Wild(_) | Pat::Rest(_) => false,
        Pat::Tuple(tuple) => tuple.elems.iter().any(may_be_refutable),
        Pat::Reference(reference) => may_be_refutable(&reference.pat),
        Pat::Paren(paren) => may_be_refutable(&paren.pat),
        Pat::Type(typed) => may_be_refutable(&typed.pat),
        Pat::TupleStruct(tuple) => variant(&tuple.path) || tuple.elems.iter().any(may_be_refutable),
        Pat::Struct(record) => {
            variant(&record.path)
                || record
                    .fields
                    .iter()
                    .any(|field| may_be_refutable(&field.pat))
        }
        _ => true,
    }
}

/// The body as an iteration runs it: `if always() BODY`.
///
/// When the body calls a macro the rewrite does not know, which may expand to `continue`
/// (`skip_if!(..)`), the body runs in a loop that it goes around at most once, so that such a
/// `continue` ends the iteration as a written one does (a written one becomes a `return` of
/// the iteration):
/// ```text
/// let mut once = Some(());
/// let _ = loop {
///     if once.take().is_some() && always() BODY // not again after a `continue`
///     break ParallelLoopsHaveNoBreak;
/// };
/// ```
/// A `break` such a macro expands to comes first and gives the loop its type (`()`, or its
/// value's), so rustc refuses the loop's own `break` by its value's type, at `for`, and labels
/// the macro's `break` as the cause, rather than let it end the iteration as a `continue`
/// would. (Not at a macro call: which one expands to the `break` is not known here. With the
/// loop's type written, rustc would instead suggest giving the macro's `break` a value.)
fn iteration(
    private: &TokenStream,
    named: &TokenStream,
    at: Span,
    body: &syn::Block,
    macros: bool,
) -> TokenStream {
    if !macros {
        return quote_spanned!(at=> if #private::always() #body);
    }
    let once = Ident::new("__failfast_once", at);
    quote_spanned! {at=>
        let mut #once = ::core::option::Option::Some(());
        let _ = loop {
            if #once.take().is_some() && #private::always() #body
            break #named::ParallelLoopsHaveNoBreak;
        };
    }
}

/// What stops one loop from outside, if anything does: the thread loop's `Loop` settings,
/// the async loop's token, and how a stopped loop leaves (the `Err(Stopped)` binding, and
/// the `return` through `FromStopped`).
#[derive(Clone, Copy)]
struct Stopping<'a> {
    settings: Option<&'a TokenStream>,
    stop: Option<&'a TokenStream>,
    stopped: Option<&'a (Ident, TokenStream)>,
}

/// Where the runtime's items are, for one loop: see [`private`] and [`named`], and where
/// generated code is located.
#[derive(Clone, Copy)]
struct Paths<'a> {
    private: &'a TokenStream,
    named: &'a TokenStream,
    at: Span,
}

/// A `while let PAT = HEAD { BODY }` loop: its head, written once, is evaluated by the loop
/// for each value, and its value moves into an iteration, which binds it with `PAT`.
///
/// The head tests the value against `PAT` with its bindings left out (`v @ SHAPE`), so that
/// the value moves whole into the iteration, which binds `PAT` exactly as written (`mut`,
/// `ref`, `@` included). A thread loop's head is a closure that the calling thread calls:
/// ```text
/// while_let(
///     |slot| { if let Some(v) = match HEAD { v @ SHAPE if always() => Some(v), _ => None } {
///         *slot = Some(v) } LoopStep::success() },
///     WORKERS, &SITE,
///     |v| match identity(v) { PAT if always() => { BODY; LoopStep::success() } _ => unreachable!() },
/// )
/// ```
/// An async loop's head is one future for the whole loop, which evaluates the head each time
/// the driver asks for a value through a `Port` (a future per value would borrow what the head
/// uses, `&mut rx`, once per value, while the driver still holds the last one):
/// ```text
/// let mut port = Port::new();
/// let (mut giver, taker) = port.split();
/// let mut driver = Driver::with_head(taker, WORKERS, async {
///     loop {
///         giver.asked().await;
///         match (HEAD tested as above) { Some(v) => giver.give(v), None => break LoopStep::success() }
///     }
/// });
/// // then the `for` loop's driver loop, each iteration binding `PAT` as above
/// ```
/// Both return the iterations' own type, so `?` and `return` in the head leave the loop as
/// they would in the body. With `stop`, `timeout` or `deadline`, as a `for` loop: the thread
/// loop is `while_let_with(head, Loop::new(WORKERS).stop(..), &SITE, body)`, the async
/// driver is `Driver::with_head(..).stopped_by(Some(token))`, and a stopped loop leaves
/// through `FromStopped`. The rewrite's `loop_checks` come first, under `if false`.
#[allow(clippy::too_many_arguments)]
fn while_let(
    paths: Paths<'_>,
    workers: &TokenStream,
    stopping: Stopping<'_>,
    kind: Kind,
    loop_checks: &TokenStream,
    pat: Pat,
    typed: bool,
    head: Expr,
    iteration: TokenStream,
) -> TokenStream {
    let Paths { private, named, at } = paths;
    let value = Ident::new("__failfast_value", at);
    // The value is matched in the head and again in the iteration, each time in an arm with a
    // guard that rustc cannot see through (`always()`): the pattern may match every value (as
    // the sequential loop's may, which then warns), and a guarded arm never does, so no
    // `irrefutable_let_patterns` or `unreachable_patterns` lint fires on the rewrite, and none
    // needs an `#[allow]`, which a crate's `#![forbid]` would refuse. The iteration's body
    // runs in the arm, as the sequential loop's runs while its scrutinee lives: what the
    // pattern does not bind (`_`, `..`) is dropped after the body.
    let shape = let_pattern(&shape(pat.clone()));
    let some = quote_spanned!(at=> ::core::option::Option::Some);
    // The head's value is tested as the sequential loop tests it, written as it is: a pattern
    // that does not fit it gets rustc's own error, with the value's type and help (`.await`
    // on a future). The guard, opaque to rustc, keeps each arm refutable, as `Some(..)` would.
    let tested = quote_spanned! {at=>
        match #head {
            #value @ #shape if #private::always() => #some(#value),
            _ => ::core::option::Option::None,
        }
    };
    // The iteration's value is a temporary, a place that `ref mut` bindings may borrow, and
    // not wrapped: a pattern that does not fit it (which the head's test reports first) is
    // reported with the value's own type.
    let bound = |value: TokenStream, body: TokenStream| {
        let value = located_at_head(value, &head);
        quote_spanned! {at=>
            match #value {
                #pat if #private::always() => { #body }
                _ => ::core::unreachable!(),
            }
        }
    };
    match kind {
        Kind::Thread => {
            let slot = Ident::new("__failfast_slot", at);
            let site = Ident::new("__FAILFAST_SITE", at);
            let outcome = Ident::new("__failfast_outcome", at);
            // A value that is not `Send` is reported by a cast that quotes no line of the
            // runtime (see `failfast_runtime::rewrite::items_of`). rustc leaves out its report
            // of the same bound on the call, which would quote the runtime, because the two
            // share a place: `while`.
            //
            // Each binding is checked first, in the pattern, at the same place: a value whose
            // `Rc` sits inside `Ok(..)` would otherwise get rustc's "within `Result<..>`"
            // message, which says nothing of what to use instead, and rustc leaves out the
            // whole value's report when a binding's explains it.
            // Only when the whole value is not `Send` (see `failfast_runtime::rewrite::Whole`).
            let checks = part_checks(
                named,
                at,
                &quote_spanned!(at=> #named::whole(&#value)),
                "value",
                typed,
                moved_parts(&pat),
                Some(&head),
            );
            let bindings_sent = (!checks.is_empty()).then(|| {
                quote_spanned! {at=>
                    if false {
                        #checks
                    }
                }
            });
            let sent = quote_spanned! {at=>
                #bindings_sent
                #named::sent_to_workers(&#value);
            };
            let (function, settings) = match stopping.settings {
                None => (quote_spanned!(at=> while_let), workers),
                Some(settings) => (quote_spanned!(at=> while_let_with), settings),
            };
            let iterate = bound(
                quote!(#value),
                quote_spanned!(at=> #iteration #named::LoopStep::success()),
            );
            let run = quote_spanned! {at=>
                {
                    static #site: #private::LoopSite = #private::LoopSite::new();
                    if false {
                        #loop_checks
                    }
                    #named::#function(
                        |#slot| {
                            if let #some(#value) = #tested {
                                #sent
                                *#slot = #some(#value);
                            }
                            #named::LoopStep::success()
                        },
                        #settings,
                        &#site,
                        |#value| #iterate,
                    )
                }
            };
            match stopping.stopped {
                None => run,
                Some((stopped, leave)) => quote_spanned! {at=>
                    match #run {
                        ::core::result::Result::Ok(#outcome) => #outcome,
                        ::core::result::Result::Err(#stopped) => #leave,
                    }
                },
            }
        }
        Kind::Async => {
            let checks_block = (!loop_checks.is_empty()).then(|| quote!(if false { #loop_checks }));
            let port = Ident::new("__failfast_port", at);
            let giver = Ident::new("__failfast_giver", at);
            let taker = Ident::new("__failfast_taker", at);
            let driver = Ident::new("__failfast_driver", at);
            let item = Ident::new("__failfast_item", at);
            let ended = Ident::new("__failfast_ended", at);
            let stopped_by = stopping
                .stop
                .map(|stop| quote_spanned!(at=> .stopped_by(::core::option::Option::Some(#stop))));
            let leave_stopped = stopping.stopped.map(|(stopped, leave)| {
                quote_spanned! {at=>
                    if let ::core::option::Option::Some(#stopped) = #driver.stopped() {
                        #leave;
                    }
                }
            });
            let iterate = bound(
                quote_spanned!(at=> #item.take()),
                quote_spanned!(at=> #iteration #named::LoopStep::success()),
            );
            quote_spanned! {at=>
                {
                    #checks_block
                    let mut #port = #private::future::Port::new();
                    let (mut #giver, #taker) = #port.split();
                    let mut #driver = #private::future::Driver::with_head(#taker, #workers, async {
                        loop {
                            #giver.asked().await;
                            match #tested {
                                #some(#value) => #giver.give(#value),
                                ::core::option::Option::None => break #named::LoopStep::success(),
                            }
                        }
                    })#stopped_by;
                    loop {
                        if let ::core::option::Option::Some(#item) = #driver.next_item() {
                            #driver.start(async { #iterate });
                        }
                        let #ended = #driver.wait().await;
                        if let ::core::option::Option::Some(#ended) = #ended {
                            #leave_stopped
                            break #private::future::Driver::outcome(&#driver, #ended);
                        }
                    }
                }
            }
        }
    }
}

/// `value` as an expression that rustc locates where `head` is written: a call of
/// `std::convert::identity` whose path has the span of `head`'s first token and whose
/// parentheses have the span of its last. Where the head's value and an iteration's (or a
/// check's) copy of it fail the same pattern, rustc's two reports are then the same, and it
/// prints one. (The path resolves as the user's code does: `::std`, which every edition's
/// crate root has, not `::core`, which an edition 2015 crate's has not.)
fn located_at_head(value: TokenStream, head: &Expr) -> TokenStream {
    let tokens: Vec<TokenTree> = head.to_token_stream().into_iter().collect();
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return quote!(::std::convert::identity(#value));
    };
    let first = match first {
        TokenTree::Group(group) => group.span_open(),
        other => other.span(),
    };
    let last = match last {
        TokenTree::Group(group) => group.span_close(),
        other => other.span(),
    };
    let mut arguments = proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, value);
    arguments.set_span(last);
    quote_spanned!(first=> ::std::convert::identity #arguments)
}

/// `pat` with its bindings left out: what a value must look like to match it. A lone name
/// is a binding unless it starts with an upper-case letter (`None`, `Empty`, a constant), as
/// rustc's naming lints expect; one written with `mut`, `ref` or `@` is always a binding.
fn shape(pat: Pat) -> Pat {
    match pat {
        Pat::Ident(ident) => {
            if let Some((at, sub)) = ident.subpat {
                let sub = shape(*sub);
                // Over literals and ranges (`n @ 1..=3`, `n @ 1 | n @ 2`) the binding stays,
                // renamed: it copies a number, a `char` or a `&str`, and without it clippy
                // would read `1 | 2 | 3` as a range written out by hand. Unused, and named
                // with `_`, it is not linted.
                if literal_only(&sub) {
                    let name = ident.ident.to_string();
                    let name = name.trim_start_matches("r#");
                    return Pat::Ident(syn::PatIdent {
                        attrs: Vec::new(),
                        by_ref: None,
                        mutability: None,
                        ident: Ident::new(&format!("{KEPT}{name}"), hygienic(ident.ident.span())),
                        subpat: Some((at, Box::new(sub))),
                    });
                }
                // `n @ (1 | 2)` is `1 | 2`: the parentheses went with the binding, and are put
                // back only where an or-pattern needs them (rustc's `unused_parens` fires on
                // `Some((1 | 2))`).
                return without_parentheses(sub);
            }
            if names_a_constant(&ident) {
                Pat::Ident(ident)
            } else {
                // The macro's `_`, where the binding was: clippy's `unneeded_wildcard_pattern`
                // would read the user's `(a, ..)` as `(_, ..)`.
                wild(hygienic(ident.ident.span()))
            }
        }
        Pat::Or(mut or) => {
            or.cases = or.cases.into_iter().map(shape).collect();
            // Every case binds the same names: where only some kept a binding (`Ok(n @ 1..=3)
            // | Err(n)`), none does.
            let kept: Vec<Vec<String>> = or.cases.iter().map(kept_bindings).collect();
            if kept.windows(2).any(|pair| pair[0] != pair[1]) {
                or.cases = or.cases.into_iter().map(without_kept_bindings).collect();
            }
            Pat::Or(or)
        }
        Pat::Paren(mut paren) => {
            *paren.pat = shape(*paren.pat);
            Pat::Paren(paren)
        }
        Pat::Reference(mut reference) => {
            *reference.pat = parenthesized(shape(*reference.pat));
            Pat::Reference(reference)
        }
        Pat::Slice(mut slice) => {
            slice.elems = slice.elems.into_iter().map(shape).collect();
            Pat::Slice(slice)
        }
        Pat::Tuple(mut tuple) => {
            tuple.elems = beside_rest(tuple.elems.into_iter().map(shape).collect());
            Pat::Tuple(tuple)
        }
        Pat::TupleStruct(mut tuple) => {
            tuple.elems = beside_rest(tuple.elems.into_iter().map(shape).collect());
            Pat::TupleStruct(tuple)
        }
        Pat::Struct(mut record) => {
            for field in &mut record.fields {
                let pat = std::mem::replace(&mut *field.pat, wild(Span::call_site()));
                *field.pat = shape(pat);
                if field.colon_token.is_none() {
                    field.colon_token = Some(syn::Token![:](Span::call_site()));
                }
            }
            // A field that became `_` goes into `..`: clippy's `unneeded_field_pattern` would
            // read `Pair { a: _, .. }` at the user's field.
            let fields = record.fields.len();
            record.fields = std::mem::take(&mut record.fields)
                .into_pairs()
                .filter(|pair| !matches!(&*pair.value().pat, Pat::Wild(_)))
                .collect();
            if record.fields.len() < fields && record.rest.is_none() {
                record.rest = Some(syn::PatRest {
                    attrs: Vec::new(),
                    dot2_token: syn::Token![..](Span::call_site()),
                });
            }
            Pat::Struct(record)
        }
        Pat::Type(mut typed) => {
            *typed.pat = shape(*typed.pat);
            Pat::Type(typed)
        }
        other => other,
    }
}

/// The checks of a value's parts that come before the whole value's (see
/// `failfast_runtime::rewrite::Whole`), at `at`: the parts the loop's pattern moves out
/// (`moved`, from [`moved_parts`]), then what the value holds one level down (`Parts`), each
/// by `check` (`item`, `value` or `exit`, the message of what the whole is). None when the
/// value's type may be unknown before the loop (`typed` false): picking the checks needs it.
fn part_checks(
    named: &TokenStream,
    at: Span,
    value: &TokenStream,
    check: &str,
    typed: bool,
    moved: Option<(Pat, Vec<Ident>)>,
    located_at: Option<&Expr>,
) -> TokenStream {
    if !typed {
        return quote!();
    }
    let whole = Ident::new("__failfast_whole", at);
    let checks = Ident::new("__failfast_checks", at);
    let held = Ident::new("__failfast_held", at);
    let (first, second) = (
        Ident::new("__failfast_first", at),
        Ident::new("__failfast_second", at),
    );
    let check = Ident::new(check, at);
    // A part, after what it holds: rustc reports the first check of a type that fails, and
    // leaves out the later ones that it implies.
    let (inner, other) = (
        Ident::new("__failfast_inner", at),
        Ident::new("__failfast_other", at),
    );
    let with_contents = |part: &Ident| {
        quote_spanned! {at=>
            let (#inner, #other) = {
                use #named::{NoParts as _, SplitParts as _};
                (&#named::parts_of(&#part)).__failfast_parts()
            };
            if let ::core::option::Option::Some(#inner) = #inner {
                #checks.#check(&#inner);
            }
            if let ::core::option::Option::Some(#other) = #other {
                #checks.#check(&#other);
            }
            #checks.#check(&#part);
        }
    };
    let moved = moved.map(|(pat, names)| {
        let names = names.iter().map(with_contents);
        let part = Ident::new("__failfast_part", at);
        match located_at {
            // As a `for` loop's iteration binds it (see `binding`): a pattern that does not
            // fit gets the iteration's report.
            None if !may_be_refutable(&pat) => {
                let pat = let_pattern(&pat);
                quote_spanned!(at=> #whole.bind(|#pat| { #(#names)* });)
            }
            // As a `while let`'s iteration matches it (see `while_let`): a pattern that does
            // not fit reports the value's own type, where the iteration's report is.
            located_at => {
                let scrutinee = match located_at {
                    Some(head) => located_at_head(quote!(#part), head),
                    None => quote!(#part),
                };
                quote_spanned! {at=>
                    if let ::core::option::Option::Some(#part) = #whole.value() {
                        match #scrutinee {
                            #pat if #named::always() => { #(#names)* }
                            _ => {}
                        }
                    }
                }
            }
        }
    });
    let (first_part, second_part) = (with_contents(&first), with_contents(&second));
    quote_spanned! {at=>
        let #whole = #value;
        let #checks = (&#whole).__failfast_checks();
        #moved
        if let ::core::option::Option::Some(#held) = #whole.value() {
            let (#first, #second) = {
                use #named::{NoParts as _, SplitParts as _};
                (&#named::parts_of(&#held)).__failfast_parts()
            };
            if let ::core::option::Option::Some(#first) = #first {
                #first_part
            }
            if let ::core::option::Option::Some(#second) = #second {
                #second_part
            }
        }
    }
}

/// The parts of a value that `pat` moves out of it, for the rewrite's check of each part (see
/// `failfast_runtime::rewrite::Whole`): the pattern to bind them with, and their names, each
/// once (an or-pattern binds the same names in every case). `None` when there is no part to
/// check: a lone name is the whole value.
///
/// In the pattern, a binding that does not move a part becomes `_`: a `ref` one, one under
/// `&` (they borrow or copy on the worker's side, so `for &x in items` needs `T: Sync`, not
/// `T: Send`) and a `_name` (unused by its writer, and `clippy::used_underscore_binding` would
/// fire on its use). The others lose their `mut`. So every name the pattern binds is used and
/// none is `mut`, and the check needs no `#[allow]` (which a crate's `#![forbid]` refuses).
fn moved_parts(pat: &Pat) -> Option<(Pat, Vec<Ident>)> {
    struct Parts(Vec<Ident>);
    impl syn::visit_mut::VisitMut for Parts {
        fn visit_pat_mut(&mut self, pat: &mut Pat) {
            match pat {
                Pat::Reference(_) => *pat = wild(Span::call_site()),
                // Each case must bind the same names: `Ok(&x) | Err(x)` checks neither `x`.
                Pat::Or(or) => {
                    let mut cases = Vec::new();
                    for case in &mut or.cases {
                        let mut parts = Parts(Vec::new());
                        parts.visit_pat_mut(case);
                        parts.0.sort_by_key(ToString::to_string);
                        cases.push(parts.0);
                    }
                    if cases.windows(2).any(|pair| pair[0] != pair[1]) {
                        *pat = wild(Span::call_site());
                        return;
                    }
                    for name in cases.into_iter().next().unwrap_or_default() {
                        if !self.0.contains(&name) {
                            self.0.push(name);
                        }
                    }
                }
                Pat::Ident(ident) => {
                    // A capitalized name may be a binding (`(a, B)`), which no check uses:
                    // left out, so that it is not an unused variable.
                    if names_a_constant(ident) {
                        *pat = wild(Span::call_site());
                        return;
                    }
                    if ident.by_ref.is_some() || ident.ident.to_string().starts_with('_') {
                        *pat = match ident.subpat.take() {
                            Some((_, mut sub)) => {
                                self.visit_pat_mut(&mut sub);
                                *sub
                            }
                            None => wild(Span::call_site()),
                        };
                        return;
                    }
                    ident.mutability = None;
                    if !self.0.contains(&ident.ident) {
                        self.0.push(ident.ident.clone());
                    }
                    if let Some((_, sub)) = &mut ident.subpat {
                        self.visit_pat_mut(sub);
                    }
                }
                _ => syn::visit_mut::visit_pat_mut(self, pat),
            }
        }
        // A shorthand field whose binding was left out (`ref b` as `_`) is written out:
        // `Rec { a, b: _ }`.
        fn visit_field_pat_mut(&mut self, field: &mut syn::FieldPat) {
            self.visit_pat_mut(&mut field.pat);
            let shorthand = match (&*field.pat, &field.member) {
                (Pat::Ident(binding), syn::Member::Named(member)) => {
                    binding.ident == *member && binding.subpat.is_none()
                }
                _ => false,
            };
            if field.colon_token.is_none() && !shorthand {
                field.colon_token = Some(syn::Token![:](Span::call_site()));
            }
        }
    }
    if let Pat::Ident(syn::PatIdent { subpat: None, .. }) = pat {
        return None;
    }
    let mut pat = pat.clone();
    let mut parts = Parts(Vec::new());
    syn::visit_mut::VisitMut::visit_pat_mut(&mut parts, &mut pat);
    // An or-pattern needs no parentheses here: it is only ever bound inside `Some(..)`.
    (!parts.0.is_empty()).then_some((pat, parts.0))
}

/// The prefix of a binding the shape keeps (see [`shape`]): none of the rewrite's own names
/// starts with it, so a user's `value @ 1..=3` does not meet the rewrite's `__failfast_value`.
const KEPT: &str = "__failfast_kept_";

/// The bindings [`shape`] kept in `pat`, sorted.
fn kept_bindings(pat: &Pat) -> Vec<String> {
    struct Kept(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Kept {
        fn visit_pat_ident(&mut self, ident: &'a syn::PatIdent) {
            let name = ident.ident.to_string();
            if name.starts_with(KEPT) {
                self.0.push(name);
            }
            syn::visit::visit_pat_ident(self, ident);
        }
    }
    let mut kept = Kept(Vec::new());
    syn::visit::Visit::visit_pat(&mut kept, pat);
    // A set: a case that is itself an or-pattern names each binding once per case.
    kept.0.sort();
    kept.0.dedup();
    kept.0
}

/// `pat` without the bindings [`shape`] kept: each is its subpattern.
fn without_kept_bindings(mut pat: Pat) -> Pat {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_pat_mut(&mut self, pat: &mut Pat) {
            if let Pat::Ident(ident) = pat {
                if ident.ident.to_string().starts_with(KEPT) {
                    if let Some((_, sub)) = ident.subpat.take() {
                        *pat = without_parentheses(*sub);
                    }
                }
            }
            syn::visit_mut::visit_pat_mut(self, pat);
            // `&n @ 1..=3` is `&(1..=3)`: rustc refuses `&1..=3`, and reads `&1 | 5` as
            // `(&1) | 5`.
            if let Pat::Reference(reference) = pat {
                if matches!(*reference.pat, Pat::Range(_) | Pat::Or(_)) {
                    let inner = std::mem::replace(&mut *reference.pat, wild(Span::call_site()));
                    *reference.pat = in_parentheses(inner);
                }
            }
        }
    }
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Strip, &mut pat);
    pat
}

/// A tuple's (or tuple struct's) elements without the `_`s next to its `..`, which match
/// nothing more: clippy's `unneeded_wildcard_pattern` would read the user's `(a, ..)` as the
/// shape's `(_, ..)`.
fn beside_rest(
    elems: syn::punctuated::Punctuated<Pat, syn::Token![,]>,
) -> syn::punctuated::Punctuated<Pat, syn::Token![,]> {
    let elems: Vec<Pat> = elems.into_iter().collect();
    let Some(rest) = elems.iter().position(|elem| matches!(elem, Pat::Rest(_))) else {
        return elems.into_iter().collect();
    };
    let wild = |elem: &Pat| matches!(elem, Pat::Wild(_));
    let before = elems[..rest]
        .iter()
        .rev()
        .take_while(|elem| wild(elem))
        .count();
    let after = elems[rest + 1..]
        .iter()
        .take_while(|elem| wild(elem))
        .count();
    elems
        .into_iter()
        .enumerate()
        .filter(|(at, _)| *at < rest - before || *at == rest || *at > rest + after)
        .map(|(_, elem)| elem)
        .collect()
}

/// Whether `pat` matches only literals and ranges (`1..=3`, `'a' | 'b'`): a binding over it
/// copies its value.
fn literal_only(pat: &Pat) -> bool {
    match pat {
        Pat::Lit(_) | Pat::Range(_) => true,
        Pat::Or(or) => or.cases.iter().all(literal_only),
        Pat::Paren(paren) => literal_only(&paren.pat),
        _ => false,
    }
}

/// `pat` as a `let` or a closure parameter binds it: one case, so an or-pattern goes in
/// parentheses (for which rustc has no `unused_parens` lint); any other pattern is kept as
/// written, so that no `unused_parens` lint points at it.
fn let_pattern(pat: &Pat) -> TokenStream {
    let pat = parenthesized(pat.clone());
    quote!(#pat)
}

/// `pat`, in parentheses if it is an or-pattern. They are located at the or-pattern: a lint
/// on the pattern (clippy's `unnested_or_patterns`) points where the user's loop has it.
fn parenthesized(pat: Pat) -> Pat {
    match pat {
        Pat::Or(_) => in_parentheses(pat),
        pat => pat,
    }
}

/// `(pat)`, the parentheses located at `pat`.
fn in_parentheses(pat: Pat) -> Pat {
    let at = syn::spanned::Spanned::span(&pat);
    Pat::Paren(syn::PatParen {
        attrs: Vec::new(),
        paren_token: syn::token::Paren(at),
        pat: Box::new(pat),
    })
}

/// `pat` without the parentheses around an or-pattern that a binding's `@` needed
/// (`n @ (1 | 2)`), which rustc's `unused_parens` flags where the binding is gone
/// (`Some((1 | 2))`); where they are needed again, [`parenthesized`] puts them back.
fn without_parentheses(pat: Pat) -> Pat {
    match pat {
        Pat::Paren(paren) if matches!(*paren.pat, Pat::Or(_)) => *paren.pat,
        pat => pat,
    }
}

/// `_`, at `span`.
fn wild(span: Span) -> Pat {
    Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: syn::Token![_](span),
    })
}

/// Whether a name in a pattern is a unit variant, unit struct or constant (`None`, `LIMIT`)
/// rather than a binding, as far as its form tells: capitalized, with no `ref`, `mut` or `@`.
fn names_a_constant(ident: &syn::PatIdent) -> bool {
    ident
        .ident
        .to_string()
        .starts_with(|c: char| c.is_uppercase())
        && ident.by_ref.is_none()
        && ident.mutability.is_none()
        && ident.subpat.is_none()
}

fn parse(tokens: TokenStream) -> Expr {
    syn::parse2(tokens).expect("the rewrite of a valid loop parses")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_loop_form_is_one_expression_with_its_errors() {
        let expanded = super::fail_fast(
            quote::quote!(wrkers = 4),
            quote::quote!(for x in xs {
                check(x)?;
            }),
        );
        let text = expanded.to_string();
        assert!(text.contains("compile_error"), "{text}");
        let expr: syn::Expr = syn::parse2(expanded).expect("one expression");
        assert!(matches!(expr, syn::Expr::Block(_)), "{text}");
    }

    /// The loop form cannot see how `log` is declared: a `&Log` whose `push` takes `&self`
    /// compiles, as it does sequentially; rustc is asked whether it is a standard container,
    /// whose `push` would race.
    #[test]
    fn the_loop_form_asks_rustc_whether_a_changing_method_races() {
        let expanded = super::fail_fast(
            quote::quote!(workers = 2),
            quote::quote!(for x in xs {
                log.push(x);
            }),
        );
        let text = expanded.to_string();
        assert!(!text.contains("compile_error"), "{text}");
        assert!(text.contains("changed_by_thread_iterations"), "{text}");
    }
}
