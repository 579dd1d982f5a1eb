//! Which loops run in parallel: the ones marked `#[fail_fast]`, or else the function's one
//! outermost `for` loop, or, with none, its one outermost `while let` loop.

use crate::args::Options;
use proc_macro2::Span;
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Block, Expr, ExprForLoop, Item, Pat};

/// The patterns of a condition's `let`s, in order: its one `let` (`if let`, `while let`), or
/// those of a let chain joined by `&&` (edition 2024); none for a plain condition. Only these
/// bind for the block the condition guards (a `match` in one of the chain's conditions binds
/// for its own arms).
pub(crate) fn let_patterns(cond: &Expr) -> Vec<&Pat> {
    fn collect<'e>(cond: &'e Expr, pats: &mut Vec<&'e Pat>) {
        match cond {
            Expr::Let(binding) => pats.push(&binding.pat),
            Expr::Binary(chain) if matches!(chain.op, syn::BinOp::And(_)) => {
                collect(&chain.left, pats);
                collect(&chain.right, pats);
            }
            _ => {}
        }
    }
    let mut pats = Vec::new();
    collect(cond, &mut pats);
    pats
}

/// Whether a `while` loop's condition makes it a `while let` loop: a `let`, or a let chain
/// (`while let Ok(line) = rx.recv() && !line.is_empty()`).
pub(crate) fn is_while_let(cond: &Expr) -> bool {
    !let_patterns(cond).is_empty()
}

/// A `while let` loop's condition as its pattern and head, and the body to describe. A let
/// chain is one `let` of the values its patterns bind, `Some((a, b))` over `if CHAIN {
/// Some((a, b)) } else { None }`: the head stays one expression, evaluated once per value,
/// and the chain's conditions are evaluated where its `let`s are. The chain keeps its
/// patterns as written (a `mut` binding the chain itself changes stays `mut` there); the
/// body starts by binding the names again as written (`let (a, mut b) = (a, b);`), so that a
/// `mut` is where the body uses it, and a name the chain alone uses is not reported unused
/// (both are allowed, as the sequential loop has them used).
///
/// Bindings that borrow from the chain (a `ref` to a temporary, a later `let` that borrows
/// an earlier binding) cannot move to the iteration that runs the body: rustc refuses them.
pub(crate) fn while_let_head(cond: &Expr, body: &Block) -> (Pat, Expr, Block) {
    if let Expr::Let(binding) = cond {
        return (
            (*binding.pat).clone(),
            (*binding.expr).clone(),
            body.clone(),
        );
    }
    /// The names a pattern binds, each once (where it is last bound), and whether it is
    /// bound `mut`.
    struct Bound(Vec<(syn::Ident, bool)>);
    impl Visit<'_> for Bound {
        fn visit_pat_ident(&mut self, ident: &syn::PatIdent) {
            let name = ident.ident.to_string();
            // A capitalized name is a unit variant or a constant (`None`), not a binding.
            if name.starts_with(|c: char| c.is_lowercase() || c == '_') {
                let mutable = ident.by_ref.is_none() && ident.mutability.is_some();
                self.0.retain(|(bound, _)| *bound != ident.ident);
                self.0.push((ident.ident.clone(), mutable));
            }
            syn::visit::visit_pat_ident(self, ident);
        }
    }
    let mut bound = Bound(Vec::new());
    for pat in let_patterns(cond) {
        bound.visit_pat(pat);
    }
    let span = syn::spanned::Spanned::span(cond);
    let names: Vec<&syn::Ident> = bound.0.iter().map(|(name, _)| name).collect();
    let some = quote::quote_spanned!(span=> ::core::option::Option::Some);
    let pat = syn::parse_quote_spanned!(span=> #some((#(#names,)*)));
    let chain = syn::Ident::new("__failfast_chain", span);
    let head = syn::parse_quote_spanned! {span=>
        {
            #[allow(unused_mut)]
            let #chain = if #cond { #some((#(#names,)*)) } else { ::core::option::Option::None };
            #chain
        }
    };
    let mut body = body.clone();
    if !names.is_empty() {
        let bindings = bound.0.iter().map(|(name, mutable)| {
            let mutability = mutable.then(|| quote::quote_spanned!(name.span()=> mut));
            quote::quote!(#mutability #name)
        });
        body.stmts.insert(
            0,
            syn::parse_quote_spanned! {span=>
                #[allow(unused_variables, unused_mut)]
                let (#(#bindings,)*) = (#(#names,)*);
            },
        );
    }
    (pat, head, body)
}

/// Whether `attr` is a `#[fail_fast]` marker (also `#[failfast::fail_fast]` and the like).
pub(crate) fn is_marker(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "fail_fast")
}

/// Takes `#[parallel]` on a loop of the function as a marker, where `fail_fast` was imported
/// under that name (`use failfast::fail_fast as parallel;`): the function's own attribute does
/// not know the name it was called by, but a loop can carry no other attribute of one word on
/// stable Rust than the compiler's own (`#[allow(..)]`, `#[cfg(..)]`), and rustc would refuse
/// it with "attributes on expressions are experimental". Not in nested items, which expand on
/// their own.
pub(crate) fn adopt_renamed_markers(block: &mut Block) {
    /// Besides the compiler's own: `fail_fast` itself, and words that only begin a tool's path.
    const NOT_RENAMED: &[&str] = &["diagnostic", "fail_fast", "rustfmt"];
    struct Adopt;
    impl Adopt {
        fn adopt(attrs: &mut [Attribute]) {
            for attr in attrs {
                let Some(name) = attr.path().get_ident() else {
                    continue;
                };
                let name_text = name.to_string();
                if !COMPILER_OWN.contains(&name_text.as_str())
                    && !NOT_RENAMED.contains(&name_text.as_str())
                {
                    let at = name.span();
                    let renamed: syn::Path = syn::parse_quote_spanned!(at=> fail_fast);
                    match &mut attr.meta {
                        syn::Meta::Path(path) => *path = renamed,
                        syn::Meta::List(list) => list.path = renamed,
                        syn::Meta::NameValue(_) => {}
                    }
                }
            }
        }
    }
    impl VisitMut for Adopt {
        fn visit_expr_for_loop_mut(&mut self, inner: &mut ExprForLoop) {
            Adopt::adopt(&mut inner.attrs);
            visit_mut::visit_expr_for_loop_mut(self, inner);
        }
        fn visit_expr_while_mut(&mut self, inner: &mut syn::ExprWhile) {
            Adopt::adopt(&mut inner.attrs);
            visit_mut::visit_expr_while_mut(self, inner);
        }
        fn visit_item_mut(&mut self, _: &mut Item) {}
    }
    Adopt.visit_block_mut(block);
}

/// Gives each function nested in `block` (in a block, an `impl`, a trait or a module) that
/// holds markers the attribute, with no option but the crate's path: its own expansion
/// rewrites its loops, as for any function, and no marker is left for rustc to refuse. Not
/// the outer function's options, which may use its parameters, out of the nested function's
/// sight.
///
/// Not a function with an attribute that may be `#[fail_fast]` under another name
/// (`use failfast::fail_fast as parallel;`) or write it (see [`may_be_fail_fast`]): a second
/// one would take the function's unmarked loop for its own. A function left as it is is
/// searched for functions nested in it in turn; one given the attribute sees to its own.
pub(crate) fn attribute_nested_functions(block: &mut Block, krate: Option<&syn::Path>) {
    struct Nested<'a>(Option<&'a syn::Path>);
    impl Nested<'_> {
        /// Whether it gave the function the attribute.
        fn attribute(&self, attrs: &mut Vec<Attribute>, body: &Block) -> bool {
            if attrs.iter().any(may_be_fail_fast) || !has_markers(body) {
                return false;
            }
            attrs.push(match self.0 {
                Some(krate) => syn::parse_quote!(#[#krate::fail_fast(crate = #krate)]),
                None => syn::parse_quote!(#[::failfast::fail_fast]),
            });
            true
        }
    }
    impl VisitMut for Nested<'_> {
        fn visit_item_fn_mut(&mut self, function: &mut syn::ItemFn) {
            if !self.attribute(&mut function.attrs, &function.block) {
                visit_mut::visit_item_fn_mut(self, function);
            }
        }
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            if !self.attribute(&mut function.attrs, &function.block) {
                visit_mut::visit_impl_item_fn_mut(self, function);
            }
        }
        fn visit_trait_item_fn_mut(&mut self, function: &mut syn::TraitItemFn) {
            let attributed = match &function.default {
                Some(body) => self.attribute(&mut function.attrs, body),
                None => false,
            };
            if !attributed {
                visit_mut::visit_trait_item_fn_mut(self, function);
            }
        }
    }
    Nested(krate).visit_block_mut(block);
}

/// Whether `attr` may be `#[fail_fast]`, or write it: any attribute but the compiler's own, a
/// tool's and a few well-known crates' (`#[inline]`, `#[rustfmt::skip]`,
/// `#[tracing::instrument]`), or a `cfg_attr` adding one. An attribute macro may be `fail_fast`
/// under another name (`use failfast::fail_fast as parallel;`, or a `pub use` in a module:
/// `#[util::par]`), or write it.
fn may_be_fail_fast(attr: &Attribute) -> bool {
    fn may_be(path: &syn::Path) -> bool {
        match path.get_ident() {
            Some(name) => {
                let name = name.to_string();
                !COMPILER_OWN.contains(&name.as_str())
                    && !COMPILER_OWN_ON_FUNCTIONS.contains(&name.as_str())
            }
            None => path.segments.first().is_none_or(|tool| {
                !TOOLS.contains(&tool.ident.to_string().as_str()) || path.leading_colon.is_some()
            }),
        }
    }
    if !attr.path().is_ident("cfg_attr") {
        return may_be(attr.path());
    }
    let parser = syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated;
    // The condition first, then the attributes it adds.
    attr.parse_args_with(parser).map_or(true, |metas| {
        metas
            .iter()
            .skip(1)
            .any(|meta| meta.path().is_ident("cfg_attr") || may_be(meta.path()))
    })
}

/// The tools whose attributes rustc knows (`#[rustfmt::skip]`, `#[clippy::..]`), and the
/// crates whose attribute macros wrap a function that `#[fail_fast]` then rewrites
/// (`#[tracing::instrument]`, `#[tokio::test]`, `#[async_trait::async_trait]`).
const TOOLS: &[&str] = &[
    "async_trait",
    "clippy",
    "diagnostic",
    "rustdoc",
    "rustfmt",
    "tokio",
    "tracing",
];

/// The compiler's own attributes that a loop or a function may carry.
const COMPILER_OWN: &[&str] = &[
    "allow",
    "cfg",
    "cfg_attr",
    "cold",
    "coverage",
    "deny",
    "deprecated",
    "doc",
    "expect",
    "forbid",
    "inline",
    "must_use",
    "track_caller",
    "warn",
];

/// The compiler's own attributes of a function only (`cfg_attr`'s contents: see
/// [`may_be_fail_fast`]).
const COMPILER_OWN_ON_FUNCTIONS: &[&str] = &[
    "automatically_derived",
    "export_name",
    "ignore",
    "instruction_set",
    "link_name",
    "link_section",
    "naked",
    "no_mangle",
    "optimize",
    "should_panic",
    "target_feature",
    "test",
    "unsafe",
];

/// Whether any loop (or anything else) in `block` carries a marker.
pub(crate) fn has_markers(block: &Block) -> bool {
    struct AnyMarker(bool);
    impl Visit<'_> for AnyMarker {
        fn visit_attribute(&mut self, attr: &Attribute) {
            self.0 |= is_marker(attr);
        }
        // A nested item is expanded on its own.
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut any = AnyMarker(false);
    any.visit_block(block);
    any.0
}

/// Where the unmarked candidates are, when there is not exactly one.
pub(crate) enum NotOne {
    /// No outermost loop; the `for` and `while let` loops inside a `while`, a `loop`, a
    /// closure or an async block, each with what it is and what it is inside, which the user
    /// may mark instead; and the outermost plain `while` loops and `loop`s, each with what it
    /// is, which have no items to split.
    None(
        Vec<(Span, &'static str, &'static str)>,
        Vec<(Span, &'static str)>,
    ),
    /// Several outermost loops of the kind that decides: `for` loops, or, when there is no
    /// outermost `for` loop, `while let` loops (with the keyword of that kind).
    Several(Vec<Span>, &'static str),
}

/// The blocks another attribute wrapped a function's body in, before `#[fail_fast]` ran on it:
/// the user's loops inside them are the function's own. Each is recognized by its shape, and
/// only as a statement of the function's body (or of another such block), where that
/// attribute writes it, so that a block the user wrote still hides its loops:
/// - `#[tracing::instrument]` on an `async fn` (or inside the blocks below): `let
///   __tracing_instrument_future = async move { BODY };`, or with `err`/`ret` the same around
///   `match async move { BODY }.await {..}` (`let __match_scrutinee = ..`, `let x = ..`);
/// - `#[tracing::instrument(err)]` or `(ret)` on a function that is not async: `match (move
///   || { BODY })() {..}` (or `let x = ..`), after its `let __tracing_attr_guard;`;
/// - `#[tokio::main]` and `#[tokio::test]`: `let body = async { BODY };` in a function that is
///   not async, whose `async` keyword is not in the source as `async`;
/// - `#[async_trait]`: the function's only statement, `Box::pin(async move { .. let __ret: T =
///   { BODY }; __ret })` (`let _: ()` for a `()` method, `let __self = self` for a method),
///   which instrument, when it runs after it, rewrites as on an `async fn`.
mod wrappers {
    use super::binds;
    use syn::{Block, Expr, Local, Stmt};

    /// The user's block in `let __tracing_instrument_future = ..;`, if `local` is that: the
    /// async block itself, or the one it awaits first (`err`, `ret`).
    pub(super) fn instrumented_future(local: &mut Local) -> Option<&mut Block> {
        if !binds(&local.pat, "__tracing_instrument_future") {
            return None;
        }
        let Expr::Async(future) = &mut *local.init.as_mut()?.expr else {
            return None;
        };
        // Asked first, then taken: the borrow checker does not let the block that is not
        // returned be returned after a failed look into it.
        let awaits = future.block.stmts.first_mut().and_then(awaited).is_some();
        if !awaits {
            return Some(&mut future.block);
        }
        future.block.stmts.first_mut().and_then(awaited)
    }

    /// What instrument's `err`/`ret` await first: `let __match_scrutinee = async move { .. }
    /// .await;`, `let x = ..`, `match async move { .. }.await {..}`.
    fn awaited(stmt: &mut Stmt) -> Option<&mut Block> {
        let awaited = match stmt {
            Stmt::Local(local)
                if binds(&local.pat, "__match_scrutinee") || binds(&local.pat, "x") =>
            {
                &mut *local.init.as_mut()?.expr
            }
            Stmt::Expr(Expr::Match(scrutinized), _) => &mut *scrutinized.expr,
            _ => return None,
        };
        match awaited {
            Expr::Await(awaited) => match &mut *awaited.base {
                Expr::Async(body) => Some(&mut body.block),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `block` (a function's body) declares instrument's guard, as instrument writes
    /// it on a function that is not async.
    pub(super) fn instrumented(block: &Block) -> bool {
        block.stmts.iter().any(
            |stmt| matches!(stmt, Stmt::Local(local) if binds(&local.pat, "__tracing_attr_guard")),
        )
    }

    /// The body in `match (move || { .. })() {..}` or `let x = (move || { .. })();`, as
    /// instrument's `err`/`ret` write it on a function that is not async.
    pub(super) fn instrumented_closure(stmt: &mut Stmt) -> Option<&mut Expr> {
        let called = match stmt {
            Stmt::Local(local) if binds(&local.pat, "x") => &mut *local.init.as_mut()?.expr,
            Stmt::Expr(Expr::Match(scrutinized), _) => &mut *scrutinized.expr,
            _ => return None,
        };
        let Expr::Call(call) = called else {
            return None;
        };
        let Expr::Paren(paren) = &mut *call.func else {
            return None;
        };
        match &mut *paren.expr {
            Expr::Closure(closure)
                if call.args.is_empty()
                    && closure.inputs.is_empty()
                    && closure.capture.is_some() =>
            {
                Some(&mut closure.body)
            }
            _ => None,
        }
    }

    /// The async block of `let body = async { .. };` as `#[tokio::main]` writes it.
    pub(super) fn tokio_main(local: &mut Local) -> Option<&mut Block> {
        if !binds(&local.pat, "body") {
            return None;
        }
        let Expr::Async(block) = &mut *local.init.as_mut()?.expr else {
            return None;
        };
        let written = block.async_token.span.source_text();
        (written.as_deref() != Some("async")).then_some(&mut block.block)
    }

    /// The async block of `Box::pin(async move { .. })`, the only statement of `body`, as
    /// `#[async_trait]` writes it.
    pub(super) fn async_trait(body: &mut Block) -> Option<&mut Block> {
        let [Stmt::Expr(Expr::Call(call), None)] = body.stmts.as_mut_slice() else {
            return None;
        };
        let Expr::Path(callee) = &*call.func else {
            return None;
        };
        let mut segments = callee.path.segments.iter().rev();
        let pin = segments.next().is_some_and(|last| last.ident == "pin");
        // async_trait writes the call at the method's `async` keyword; a user's `Box` is
        // written `Box`.
        let boxed = segments.next().is_some_and(|before| {
            before.ident == "Box" && before.ident.span().source_text().as_deref() != Some("Box")
        });
        if !(pin && boxed && call.args.len() == 1) {
            return None;
        }
        let Some(Expr::Async(block)) = call.args.first_mut() else {
            return None;
        };
        let written_by_async_trait = block.block.stmts.iter().any(|stmt| {
            let Stmt::Local(local) = stmt else {
                return false;
            };
            binds(&local.pat, "__self")
                || binds(&local.pat, "__ret")
                || binds(&local.pat, "__tracing_instrument_future")
                || matches!(&local.pat, syn::Pat::Type(typed)
                    if matches!(&*typed.pat, syn::Pat::Wild(_))
                        && matches!(&*typed.ty, syn::Type::Tuple(unit) if unit.elems.is_empty()))
        });
        written_by_async_trait.then_some(&mut block.block)
    }
}

/// Whether `pat` binds `name` (alone, or with a type: `__ret: T`).
fn binds(pat: &syn::Pat, name: &str) -> bool {
    match pat {
        syn::Pat::Ident(ident) => ident.ident == name,
        syn::Pat::Type(typed) => binds(&typed.pat, name),
        _ => false,
    }
}

/// Marks the function's one outermost `for` loop, or, if it has none, its one outermost
/// `while let` loop, or says why it cannot.
///
/// Outermost: not inside another loop, a closure, an async block or a nested item (but for
/// the [`wrappers`] another attribute wrapped the body in); loops inside `if`, `match` or
/// plain blocks count. A `for` loop inside an outermost `while let`
/// loop is not outermost: the `while let` loop is picked.
pub(crate) fn mark_the_outermost_loop(function: &mut syn::ItemFn) -> Result<(), NotOne> {
    struct Outermost {
        found: Vec<Span>,
        while_lets: Vec<Span>,
        /// Which loop to mark: the n-th outermost `for`, or `while let` loop.
        mark: Option<(bool, usize)>,
        /// Whether each outermost `for` loop carries a `#[cfg(..)]`.
        configured: Vec<bool>,
        /// Mark every outermost `for` loop (see [`mark_the_outermost_loop`]).
        mark_every_for: bool,
        /// What encloses the current expression, if it hides loops from being outermost.
        inside: Option<&'static str>,
        hidden: Vec<(Span, &'static str, &'static str)>,
        /// The outermost plain `while` loops and `loop`s.
        plain: Vec<(Span, &'static str)>,
    }
    impl Outermost {
        /// The statements of the function's body, or of a block another attribute wrapped
        /// it in (see [`wrappers`]): the user's blocks in such wrappers are visited as the
        /// body itself.
        fn visit_body(&mut self, block: &mut Block, async_context: bool, top: bool) {
            if top && !async_context {
                if let Some(inner) = wrappers::async_trait(block) {
                    return self.visit_body(inner, true, false);
                }
            }
            let instrumented = top && !async_context && wrappers::instrumented(block);
            for stmt in &mut block.stmts {
                // instrument on a function that is not async (`#[tokio::main]`'s, when it
                // runs first) puts the body in plain blocks, and `err`/`ret` in a closure:
                // tokio's block may be inside them.
                if top && !async_context {
                    if let syn::Stmt::Expr(Expr::Block(plain), _) = stmt {
                        if plain.label.is_none() {
                            self.visit_body(&mut plain.block, false, true);
                            continue;
                        }
                    }
                    if instrumented {
                        match wrappers::instrumented_closure(stmt) {
                            Some(Expr::Block(user)) => {
                                self.visit_body(&mut user.block, false, true);
                                continue;
                            }
                            Some(user) => {
                                self.visit_expr_mut(user);
                                continue;
                            }
                            None => {}
                        }
                    }
                }
                if let syn::Stmt::Local(local) = stmt {
                    if async_context {
                        if let Some(user) = wrappers::instrumented_future(local) {
                            self.visit_block_mut(user);
                            continue;
                        }
                    }
                    if top && !async_context {
                        if let Some(user) = wrappers::tokio_main(local) {
                            self.visit_body(user, true, false);
                            continue;
                        }
                    }
                }
                self.visit_stmt_mut(stmt);
            }
        }

        fn hiding(&mut self, what: &'static str, f: impl FnOnce(&mut Self)) {
            let outer = self.inside.replace(self.inside.unwrap_or(what));
            f(self);
            self.inside = outer;
        }
    }
    impl VisitMut for Outermost {
        fn visit_expr_for_loop_mut(&mut self, for_loop: &mut ExprForLoop) {
            if let Some(what) = self.inside {
                self.hidden
                    .push((for_loop.for_token.span, "`for` loop", what));
                return;
            }
            if self.mark_every_for || self.mark == Some((true, self.found.len())) {
                for_loop.attrs.push(syn::parse_quote!(#[fail_fast]));
            }
            self.configured.push(
                for_loop
                    .attrs
                    .iter()
                    .any(|attr| attr.path().is_ident("cfg")),
            );
            self.found.push(for_loop.for_token.span);
            // The input expression is evaluated outside the loop: a loop in it is outermost too.
            self.visit_expr_mut(&mut for_loop.expr);
        }
        // Loops inside these are not outermost.
        fn visit_expr_while_mut(&mut self, inner: &mut syn::ExprWhile) {
            let while_let = is_while_let(&inner.cond);
            if while_let && self.inside.is_none() {
                if self.mark == Some((false, self.while_lets.len())) {
                    inner.attrs.push(syn::parse_quote!(#[fail_fast]));
                }
                self.while_lets.push(inner.while_token.span);
            }
            let what = if while_let {
                "a `while let` loop"
            } else {
                "a `while` loop"
            };
            match (while_let, self.inside) {
                (false, None) => self.plain.push((inner.while_token.span, what)),
                (true, Some(inside)) => {
                    self.hidden
                        .push((inner.while_token.span, "`while let` loop", inside));
                }
                _ => {}
            }
            self.hiding(what, |this| visit_mut::visit_expr_while_mut(this, inner));
        }
        fn visit_expr_loop_mut(&mut self, inner: &mut syn::ExprLoop) {
            if self.inside.is_none() {
                self.plain.push((inner.loop_token.span, "a `loop`"));
            }
            self.hiding("a `loop`", |this| {
                visit_mut::visit_expr_loop_mut(this, inner)
            });
        }
        fn visit_expr_closure_mut(&mut self, inner: &mut syn::ExprClosure) {
            self.hiding("a closure", |this| {
                visit_mut::visit_expr_closure_mut(this, inner)
            });
        }
        fn visit_expr_async_mut(&mut self, inner: &mut syn::ExprAsync) {
            self.hiding("an async block", |this| {
                visit_mut::visit_expr_async_mut(this, inner)
            });
        }
        fn visit_item_mut(&mut self, _: &mut Item) {}
    }
    let async_fn = function.sig.asyncness.is_some();
    let block = &mut function.block;
    let outermost = |mark, mark_every_for| Outermost {
        found: Vec::new(),
        while_lets: Vec::new(),
        mark,
        configured: Vec::new(),
        mark_every_for,
        inside: None,
        hidden: Vec::new(),
        plain: Vec::new(),
    };
    let mut count = outermost(None, false);
    count.visit_body(block, async_fn, true);
    // Outermost `for` loops that each carry a `#[cfg(..)]` are alternatives (one for debug
    // builds, one for release), of which the sequential function keeps the configured ones:
    // each is marked, and `cfg` removes the others before they are expanded.
    if count.found.len() > 1 && count.configured.iter().all(|&configured| configured) {
        outermost(None, true).visit_body(block, async_fn, true);
        return Ok(());
    }
    let pick = match (count.found.len(), count.while_lets.len()) {
        (1, _) => (true, 0),
        (0, 1) => (false, 0),
        (0, 0) => return Err(NotOne::None(count.hidden, count.plain)),
        (0, _) => return Err(NotOne::Several(count.while_lets, "`while let`")),
        _ => return Err(NotOne::Several(count.found, "`for`")),
    };
    outermost(Some(pick), false).visit_body(block, async_fn, true);
    Ok(())
}

/// What an expression is, in an error message.
pub(crate) fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::While(_) => "a `while` loop",
        Expr::Loop(_) => "a `loop`",
        Expr::ForLoop(_) => "a `for` loop",
        Expr::Closure(_) => "a closure",
        Expr::Async(_) => "an async block",
        Expr::Block(_) => "a block",
        Expr::If(_) => "an `if`",
        Expr::Match(_) => "a `match`",
        Expr::Call(_) | Expr::MethodCall(_) => "a call",
        _ => "an expression",
    }
}

/// The outer attributes of an expression, borrowed as `&mut`.
macro_rules! attrs_of {
    ($expr:expr, $($borrow:tt)+) => {
        match $expr {
            Expr::Array(e) => Some($($borrow)+ e.attrs),
            Expr::Assign(e) => Some($($borrow)+ e.attrs),
            Expr::Async(e) => Some($($borrow)+ e.attrs),
            Expr::Await(e) => Some($($borrow)+ e.attrs),
            Expr::Binary(e) => Some($($borrow)+ e.attrs),
            Expr::Block(e) => Some($($borrow)+ e.attrs),
            Expr::Break(e) => Some($($borrow)+ e.attrs),
            Expr::Call(e) => Some($($borrow)+ e.attrs),
            Expr::Cast(e) => Some($($borrow)+ e.attrs),
            Expr::Closure(e) => Some($($borrow)+ e.attrs),
            Expr::Const(e) => Some($($borrow)+ e.attrs),
            Expr::Continue(e) => Some($($borrow)+ e.attrs),
            Expr::Field(e) => Some($($borrow)+ e.attrs),
            Expr::ForLoop(e) => Some($($borrow)+ e.attrs),
            Expr::Group(e) => Some($($borrow)+ e.attrs),
            Expr::If(e) => Some($($borrow)+ e.attrs),
            Expr::Index(e) => Some($($borrow)+ e.attrs),
            Expr::Let(e) => Some($($borrow)+ e.attrs),
            Expr::Lit(e) => Some($($borrow)+ e.attrs),
            Expr::Loop(e) => Some($($borrow)+ e.attrs),
            Expr::Macro(e) => Some($($borrow)+ e.attrs),
            Expr::Match(e) => Some($($borrow)+ e.attrs),
            Expr::MethodCall(e) => Some($($borrow)+ e.attrs),
            Expr::Paren(e) => Some($($borrow)+ e.attrs),
            Expr::Path(e) => Some($($borrow)+ e.attrs),
            Expr::Range(e) => Some($($borrow)+ e.attrs),
            Expr::Reference(e) => Some($($borrow)+ e.attrs),
            Expr::Repeat(e) => Some($($borrow)+ e.attrs),
            Expr::Return(e) => Some($($borrow)+ e.attrs),
            Expr::Struct(e) => Some($($borrow)+ e.attrs),
            Expr::Try(e) => Some($($borrow)+ e.attrs),
            Expr::TryBlock(e) => Some($($borrow)+ e.attrs),
            Expr::Tuple(e) => Some($($borrow)+ e.attrs),
            Expr::Unary(e) => Some($($borrow)+ e.attrs),
            Expr::Unsafe(e) => Some($($borrow)+ e.attrs),
            Expr::While(e) => Some($($borrow)+ e.attrs),
            Expr::Yield(e) => Some($($borrow)+ e.attrs),
            _ => None,
        }
    };
}

/// The outer attributes of an expression, if it can have any.
pub(crate) fn expr_attrs(expr: &Expr) -> Option<&Vec<Attribute>> {
    attrs_of!(expr, &)
}

/// The outer attributes of an expression, if it can have any.
pub(crate) fn expr_attrs_mut(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    attrs_of!(expr, &mut)
}

/// Removes every marker from `block` (outside nested items): what is left of a function that
/// failed to expand must not carry markers for rustc to reject as "attributes on expressions
/// are experimental".
pub(crate) fn strip_markers(block: &mut Block) {
    struct Strip;
    impl VisitMut for Strip {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            let mut used = Vec::new();
            if let Some(attrs) = expr_attrs_mut(expr) {
                attrs.retain(|attr| {
                    let marker = is_marker(attr);
                    if marker {
                        used.extend(Options::of_marker(attr).still_used());
                    }
                    !marker
                });
            }
            visit_mut::visit_expr_mut(self, expr);
            // The marker's values stay used where they were: see `Options::still_used`.
            if !used.is_empty() {
                *expr = syn::parse_quote!({ #(#used)* #expr });
            }
        }
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            local.attrs.retain(|attr| !is_marker(attr));
            visit_mut::visit_local_mut(self, local);
        }
        fn visit_item_mut(&mut self, _: &mut Item) {}
    }
    Strip.visit_block_mut(block);
}

#[cfg(test)]
mod tests {
    use super::may_be_fail_fast;

    #[test]
    fn an_attribute_may_be_fail_fast_unless_it_is_the_compilers_or_a_tools() {
        let may_be = |attr: syn::Attribute| may_be_fail_fast(&attr);
        assert!(may_be(syn::parse_quote!(#[parallel(workers = 2)])));
        assert!(may_be(syn::parse_quote!(#[failfast::fail_fast])));
        assert!(may_be(syn::parse_quote!(#[cfg_attr(test, fail_fast)])));
        assert!(may_be(syn::parse_quote!(#[cfg_attr(all(), instrument)])));
        assert!(may_be(syn::parse_quote!(#[util::par(workers = 2)])));
        assert!(!may_be(syn::parse_quote!(#[tracing::instrument])));
        assert!(!may_be(syn::parse_quote!(#[inline(never)])));
        assert!(!may_be(syn::parse_quote!(#[no_mangle])));
        assert!(!may_be(syn::parse_quote!(#[rustfmt::skip])));
        assert!(!may_be(
            syn::parse_quote!(#[cfg_attr(debug_assertions, inline(never))])
        ));
    }
}
