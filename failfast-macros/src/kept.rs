//! Variables declared outside a parallel loop that only the `return`s of its body use, and
//! that one of them may move (`return Ok(fallback)`, `return Err(msg.into())`,
//! `return Ok(cfg.name)`). Sequentially the `return` leaves the loop, so the value moves once;
//! in parallel several iterations may reach it at once, and a thread loop's body is a closure
//! that may not move what it captures. The rewrite moves such variables into one cell before
//! the loop, the first iteration that reaches such a `return` takes them all, and the code
//! after the loop gets back the ones it uses (see `failfast_runtime::rewrite::Kept`).
//!
//! Only where the syntax shows that this is what the sequential loop does:
//! - a `return`'s value (or the error of anyhow's `bail!(e)` or `ensure!(cond, e)`, not a
//!   format string, which the macro formats only as a literal) may move it: it is used as a
//!   value there (also under `-` or `*`, `.await`, as a `match` or `if let` scrutinee, in a
//!   `move` closure or `dbg!`), or its field is, or it is the receiver of a method that takes `self`
//!   by its name (`into`, `unwrap`, `map`, `context`; see `moved_from`), also where what
//!   that makes is only borrowed then (`name.into_bytes().len()`, `&o.unwrap()`, in
//!   `format!`); so may a statement
//!   of a block that ends in that `return` (`let err = anyhow!("..").context(context);`,
//!   see [`exit_block`]), which then takes the variables at its first statement that mentions
//!   one. A variable the
//!   `return`s only borrow stays shared, which needs it `Sync` rather than `Send`, and drops
//!   after the loop; so does a lock's or a cell's guard (`let g = m.lock()..`, a parameter of
//!   a `..Guard` type), which nothing moves out of, and which is not `Send`. A thread loop's
//!   kept values must be `Send` (the first `return` takes them on a pool thread): checked at
//!   `for` in the loop's terms (`KeptForReturn`);
//! - the loop's options, input, head and body mention it nowhere but in such values, and no
//!   such value holds a `continue` or `break` (which could take the values and go on). Not an
//!   `Err(e)?`, which moves `e` before it returns, so that the sequential loop does not
//!   compile either;
//! - it is declared by a `let` of the loop's own block (alone, or as a part of a tuple or a
//!   struct it destructures), with no attribute but a lint's (not `#[cfg]`), or is a
//!   parameter of the function whose body that block is (`self` taken by value or as a `&mut
//!   Self` too, where no macro in the loop names it: see [`keepable`]), or is captured by the
//!   closure or `async move`
//!   block whose body that block is, or is owned so by the block around the `if` or plain
//!   block statement that holds the loop's block (see [`Owned`]): after the loop is its scope;
//! - between its declaration and the loop it is only a method's receiver, assigned, or
//!   formatted (or a field of it is), in statements of their own, or copied from (`let label
//!   = cfg.name.clone();`, and `let target = cfg.target;` where the `return`s use it whole; see
//!   [`leaves_no_borrow`]): no borrow of it may live across the loop (the sequential
//!   `return` moves it where such a borrow is dead; the cell takes it before).
//!
//! Any other variable a `return` moves is checked as before (see `captures::Used::moved`).

use crate::captures::{error_argument, expression_arguments, FORMATTING};
use crate::changes;
use crate::find::is_marker;
use crate::races::MUTATING;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{HashMap, HashSet};
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Pat, Stmt};

/// What a block owns from before its first statement, which a loop in it may keep as it keeps
/// the block's own `let`s.
#[derive(Clone)]
pub(crate) enum Owned {
    /// The function's parameters bound by name (not a guard's type), each with whether it is
    /// `mut`: the block is the function's body.
    Params(HashMap<String, bool>),
    /// What an `async move` block captures, moved into it: any variable of the enclosing code
    /// that the block names (which its `let`s do not bind first). Its binding outside is not
    /// seen, so such a variable is kept only if the code after the loop does not use it (it
    /// would get it back by an assignment or a new `let`, and only the binding says which),
    /// the loop does not bind the name itself, and the loop does not read through it (a lock's
    /// guard, `Sync` but not `Send`, is shared rather than kept). With the names that may be
    /// variables of the enclosing function (`captures::Locals::variables`): any other name is
    /// a constant's or a static's, whatever its case.
    Captured(Option<HashSet<String>>),
    /// A closure's body: its parameters, as [`Owned::Params`], and, as [`Owned::Captured`],
    /// what it captures and a `return` moves whole (`Ok(name.into_bytes())`), which the
    /// closure captures by value, `move` or not. Not a variable of which the loop names a
    /// field or that it takes apart by a pattern, as far as its syntax shows (`cfg.name`,
    /// `let Config { name, .. } = cfg`, `match cfg`): the closure may capture only those
    /// parts, and keeping the variable would move all of it.
    Closure(HashMap<String, bool>, Option<HashSet<String>>),
    /// A block that an `if` (or `else`) or a plain block runs in a block owning `owned`: what
    /// that block owns and declares `before` the statement (its condition among them, which
    /// runs before the loop), where the code `after` the statement does not use it (the
    /// rewrite could not give it back there, outside the block) and only makes the value the
    /// function ends with (see [`ends_only`]): a kept value that no `return` took drops as the
    /// block ends, where the sequential function drops it as it returns, and no code of the
    /// user's may run in between. Not through a loop or a closure, which may run the block
    /// again.
    Enclosing {
        owned: Box<Owned>,
        before: Vec<Stmt>,
        after: Vec<Stmt>,
    },
    /// Nothing: the attribute is on the loop itself (the nightly loop form), which sees
    /// neither the enclosing code nor the code after the loop, and whose expansion is one
    /// expression (rustc expands an attribute on an expression statement as an expression), so
    /// that it cannot bind a name for the code after the loop. A name that the loop does not
    /// bind itself, that is lower case (a variable's, or a lower-case `static`'s, which no
    /// `let` may shadow, and which is not told apart), that it does not read through, and that
    /// it does not pass to a method (`.map_err(wrap)`, where it may be a generic function's)
    /// may be a variable of the enclosing code, and is kept. It is not given back: a value
    /// that is not `Copy` is moved into the cell, and code after the loop that uses it gets
    /// rustc's "use of moved value" (without the cell, every such `return` in the loop form
    /// was refused as a move out of the body's closure); a `Copy` one is copied.
    Unseen,
}

impl Owned {
    /// What the innermost function, closure or `async move` block owns: through
    /// [`Owned::Enclosing`] blocks.
    fn innermost(&self) -> &Owned {
        match self {
            Owned::Enclosing { owned, .. } => owned.innermost(),
            owned => owned,
        }
    }
}

/// A variable that a parallel loop keeps for its first `return`.
#[derive(Clone)]
pub(crate) struct Kept {
    /// As the loop's first `return` that moves it writes it.
    pub(crate) name: Ident,
    /// Whether its binding is `mut`: the code after the loop gets it back by assignment then,
    /// so that the `mut` is still needed.
    pub(crate) mutable: bool,
    /// Whether the code after the loop, in its block, mentions it: only then is it given back.
    pub(crate) used_after: bool,
    /// A `self` that is not `mut` (taken by value, or `&mut self`), that the code after the
    /// loop uses: the rewrite makes the receiver `mut` to give it back (`self = ..`; `&mut
    /// self` becomes `mut self: &mut Self`), which changes nothing for the method's callers.
    pub(crate) receiver_made_mut: bool,
}

/// The variables that `looped`, a parallel loop written as a statement between `before` and
/// `after` in its block, may keep (see the module). Names are compared without `r#`.
/// `owned` is what the block owns from before it (see [`Owned`]); `options` the tokens of the
/// function's options.
pub(crate) fn keepable(
    looped: &Expr,
    before: &[Stmt],
    after: &[Stmt],
    owned: Option<&Owned>,
    options: TokenStream,
) -> Vec<Kept> {
    // The input is evaluated before the loop, the head by it, and the options (the
    // function's, and the loop's marker's) as it starts: none may use the variable, which is
    // in the cell by then.
    let (outside, body, pat) = match looped {
        Expr::ForLoop(for_loop) => (
            vec![
                options,
                attributes(&for_loop.attrs),
                for_loop.pat.to_token_stream(),
                for_loop.expr.to_token_stream(),
            ],
            &for_loop.body,
            Some(&*for_loop.pat),
        ),
        Expr::While(while_loop) => (
            vec![
                options,
                attributes(&while_loop.attrs),
                while_loop.cond.to_token_stream(),
            ],
            &while_loop.body,
            match &*while_loop.cond {
                Expr::Let(bound) => Some(&*bound.pat),
                _ => None,
            },
        ),
        _ => return Vec::new(),
    };
    let mut exits = Exits::default();
    // The body itself is no exit block: every iteration runs it.
    body.stmts.iter().for_each(|stmt| exits.visit_stmt(stmt));
    // What an `async move` block captured is any name the loop does not bind itself (in a
    // `match` arm of a `return`'s value, say).
    let captures = owned.map(Owned::innermost);
    let bound_inside = match (captures, pat) {
        (Some(Owned::Captured(_) | Owned::Closure(..) | Owned::Unseen), Some(pat)) => {
            changes::bound_in(pat, body)
        }
        _ => HashSet::new(),
    };
    // A name passed to a method (`.map_err(wrap)`) may be a function's (a generic one is
    // then left without its type arguments): the loop form, which cannot tell, keeps none.
    let passed = match captures {
        Some(Owned::Unseen) => passed_to_methods(body),
        _ => HashSet::new(),
    };
    let after: TokenStream = after.iter().map(ToTokens::to_token_stream).collect();
    let block = body;
    let body = body.to_token_stream();
    let mut kept: Vec<Kept> = Vec::new();
    for (name, first) in exits.moved {
        let count = exits.mentioned.get(&name).copied().unwrap_or(0);
        // `self` is kept only as a method's receiver (by value or `&mut`), and only where no
        // macro in the loop names it: the exit names it otherwise (see `take_kept`), and a
        // macro's tokens may be text (`stringify!`, `assert!`'s message) or a format string's.
        let receiver = name == "self";
        if receiver && (!matches!(owned, Some(Owned::Params(_))) || in_macros(&body, "self"))
            || exits.not_leaving.contains(&name)
            || passed.contains(&name)
        {
            continue;
        }
        let mentions = outside
            .iter()
            .chain([&body])
            .map(|tokens| mentions(tokens.clone(), &name))
            .sum::<usize>();
        if mentions != count {
            continue;
        }
        let used_after = self::mentions(after.clone(), &name) > 0;
        // A closure may capture only the parts it names (see `Owned::Closure`).
        let field_alone = matches!(captures, Some(Owned::Closure(..)))
            && (names_field(body.clone(), &name) || destructured(block, &name));
        // A capture read through (`*guard`) may be a lock's guard, which is `Sync` and not
        // `Send`: shared, as before, not kept.
        let captured_alone =
            !bound_inside.contains(&name) && !dereferenced(body.clone(), &name) && !field_alone;
        // The loop's `return`s use it whole only: a field moved out before the loop (`let
        // name = cfg.name;`) would fail them sequentially too (see `leaves_no_borrow`).
        let whole_only = !names_field(body.clone(), &name);
        let not_captured = used_after || !captured_alone;
        if let Some(mutable) = declared(&name, before, owned, not_captured, whole_only) {
            let receiver_made_mut = receiver && used_after && !mutable;
            kept.push(Kept {
                name: first,
                mutable: mutable || receiver_made_mut,
                used_after,
                receiver_made_mut,
            });
        }
    }
    kept.sort_by_key(|kept| kept.name.to_string());
    kept
}

/// The names that `body` passes to a method as a whole argument (`.map_err(wrap)`).
fn passed_to_methods(body: &syn::Block) -> HashSet<String> {
    struct Passed(HashSet<String>);
    impl Visit<'_> for Passed {
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            for arg in &call.args {
                if let Expr::Path(path) = arg {
                    if let Some(name) = path.path.get_ident() {
                        self.0.insert(name.unraw().to_string());
                    }
                }
            }
            visit::visit_expr_method_call(self, call);
        }
    }
    let mut passed = Passed(HashSet::new());
    passed.visit_block(body);
    passed.0
}

/// In an exit of a loop's own flow (the value of a `return`, or the error of a
/// [`returns_error`] macro call) that mentions variables the loop keeps: the exit with the
/// variables bound first, from `taken` (the cell's values, or else the iteration's end), as
/// `{ let (fallback, _) = TAKEN; let _ = &fallback; EXIT }`. Unchanged if it mentions none of
/// them.
pub(crate) fn take_kept(exit: &mut Expr, kept: &[Kept], taken: &dyn Fn(&[Option<Ident>]) -> Stmt) {
    let tokens = exit.to_token_stream();
    let written = names_in(tokens.clone());
    let moved: Vec<Option<Ident>> = kept
        .iter()
        .map(|kept| {
            let name = kept.name.unraw().to_string();
            (mentions(tokens.clone(), &name) > 0).then(|| {
                // As this exit writes it; a format string's `{fallback}` has no token of it.
                written
                    .iter()
                    .find(|written| written.unraw() == name)
                    .unwrap_or(&kept.name)
                    .clone()
            })
        })
        .collect();
    if moved.iter().any(Option::is_some) {
        let mut value = std::mem::replace(exit, Expr::Verbatim(TokenStream::new()));
        // `self` cannot be bound by a `let`: the exit names the receiver it takes otherwise.
        let moved: Vec<Option<Ident>> = moved
            .into_iter()
            .map(|name| {
                name.map(|name| {
                    if name == "self" {
                        receiver_taken(&name)
                    } else {
                        name
                    }
                })
            })
            .collect();
        if moved.iter().flatten().any(|name| name == RECEIVER) {
            ReceiverRenamed.visit_expr_mut(&mut value);
        }
        let taken = taken(&moved);
        // Read once: the exit may mention the name as something else too (a field).
        let read = moved.iter().flatten();
        *exit = syn::parse_quote!({ #taken; #(let _ = &#read;)* #value });
    }
}

/// What an exit that takes a kept `self` names it (see [`take_kept`]).
const RECEIVER: &str = "__failfast_self";

/// The name an exit binds a kept `self` to, as `written`.
fn receiver_taken(written: &Ident) -> Ident {
    Ident::new(RECEIVER, written.span())
}

/// Renames each `self` of an exit's expressions as [`receiver_taken`] names it: not in a nested
/// item, whose `self` is its own, nor in a macro's tokens, which the loop keeps no `self` for
/// (see [`keepable`]).
struct ReceiverRenamed;

impl VisitMut for ReceiverRenamed {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if path.qself.is_none() && path.path.is_ident("self") {
            let ident = &mut path.path.segments[0].ident;
            *ident = receiver_taken(ident);
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Whether a macro call in `tokens` names `name` among its tokens (or in a format string).
fn in_macros(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(at, tree)| match tree {
        TokenTree::Group(group) => {
            let called =
                at > 0 && matches!(&trees[at - 1], TokenTree::Punct(bang) if bang.as_char() == '!');
            called && mentions(group.stream(), name) > 0 || in_macros(&group.stream(), name)
        }
        _ => false,
    })
}

/// Whether `block` takes `name` apart by a pattern (`let Config { name, .. } = cfg;`,
/// `match cfg { .. }`, `if let Some(x) = opt`), which a closure captures part by part.
fn destructured(block: &syn::Block, name: &str) -> bool {
    struct Parts<'a>(&'a str, bool);
    impl Parts<'_> {
        fn is_name(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Path(path) if path.path.get_ident().is_some_and(|id| id.unraw() == self.0))
        }
    }
    impl Visit<'_> for Parts<'_> {
        fn visit_local(&mut self, local: &syn::Local) {
            let whole = match &local.pat {
                Pat::Type(typed) => matches!(&*typed.pat, Pat::Ident(_)),
                pat => matches!(pat, Pat::Ident(_)),
            };
            if let Some(init) = &local.init {
                self.1 |= !whole && self.is_name(&init.expr);
            }
            visit::visit_local(self, local);
        }
        fn visit_expr_match(&mut self, matched: &syn::ExprMatch) {
            self.1 |= self.is_name(&matched.expr);
            visit::visit_expr_match(self, matched);
        }
        fn visit_expr_let(&mut self, bound: &syn::ExprLet) {
            self.1 |= self.is_name(&bound.expr);
            visit::visit_expr_let(self, bound);
        }
    }
    let mut parts = Parts(name, false);
    parts.visit_block(block);
    parts.1
}

/// [`take_kept`] for an [`exit_block`]: from its first statement that mentions a variable the
/// loop keeps, which then finds them bound, to its `return`. The statements before it run as
/// written: an iteration that finds the variables taken ends there.
pub(crate) fn take_kept_in_block(
    block: &mut syn::Block,
    kept: &[Kept],
    taken: &dyn Fn(&[Option<Ident>]) -> Stmt,
) {
    let first = block.stmts.iter().position(|stmt| {
        let tokens = stmt.to_token_stream();
        kept.iter()
            .any(|kept| mentions(tokens.clone(), &kept.name.unraw().to_string()) > 0)
    });
    let Some(first) = first else { return };
    // Items stay in the block: its statements may use them before they are declared.
    let (items, rest): (Vec<Stmt>, Vec<Stmt>) = block
        .stmts
        .split_off(first)
        .into_iter()
        .partition(|stmt| matches!(stmt, Stmt::Item(_)));
    block.stmts.extend(items);
    let mut exit = Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: syn::Block {
            brace_token: block.brace_token,
            stmts: rest,
        },
    });
    take_kept(&mut exit, kept, taken);
    block.stmts.push(Stmt::Expr(exit, None));
}

/// [`take_kept`] for the error that a [`returns_error`] macro call moves out (`bail!(e)`).
pub(crate) fn take_kept_in_macro(
    mac: &mut syn::Macro,
    kept: &[Kept],
    taken: &dyn Fn(&[Option<Ident>]) -> Stmt,
) {
    let Some((mut args, at)) = takeable_error(mac) else {
        return;
    };
    take_kept(&mut args[at], kept, taken);
    mac.tokens = args.to_token_stream();
}

/// The arguments of a macro making or returning an error, with where the error is, when the
/// rewrite may take kept variables for it: not a format string, which the macro formats only
/// as a literal (see [`error_argument`]).
fn takeable_error(mac: &syn::Macro) -> Option<(Punctuated<Expr, syn::Token![,]>, usize)> {
    error_argument(mac).filter(|(args, at)| !matches!(args[*at], Expr::Lit(_)))
}

/// The error that a [`returns_error`] macro call (`bail!(e)`) returns, when the rewrite may
/// take kept variables for it (see [`takeable_error`]).
fn returned_error(mac: &syn::Macro) -> Option<Expr> {
    if !returns_error(mac) {
        return None;
    }
    takeable_error(mac).map(|(args, at)| args[at].clone())
}

/// Whether `mac` is anyhow's (or eyre's) `bail!` or `ensure!`, which returns the error it
/// makes.
pub(crate) fn returns_error(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|last| last.ident == "bail" || last.ident == "ensure")
}

/// Whether `name` is declared where the code after the loop is its scope: by the last
/// statement of `before` that binds it, which must be a `let` that binds it by value (`let mut
/// fallback: String = ..`, `let (done, rx) = channel();`, see [`bound_by_value`]) with no
/// attribute but a lint's, or else owned by the block from before
/// it (see [`Owned`]); and whether no borrow of it may live across the loop (see the module).
/// `Some` with whether it is `mut`. `not_captured`: not to be kept as an `async move` block's
/// capture (the code after the loop uses it, the loop binds the name itself, or reads through
/// it).
fn declared(
    name: &str,
    before: &[Stmt],
    owned: Option<&Owned>,
    not_captured: bool,
    whole_only: bool,
) -> Option<bool> {
    let binding = before.iter().rposition(|stmt| {
        changes::binds_in(stmt)
            .iter()
            .any(|bound| bound.strip_prefix("r#").unwrap_or(bound) == name)
    });
    let since = &before[binding.map_or(0, |at| at + 1)..];
    if !since
        .iter()
        .all(|stmt| leaves_no_borrow(stmt, name, whole_only))
    {
        return None;
    }
    // A variable's name, not a constant's or a static's.
    let captured = |variables: &Option<HashSet<String>>| {
        (!not_captured
            && name.starts_with(|c: char| c.is_lowercase())
            && variables.as_ref().is_none_or(|bound| bound.contains(name)))
        .then_some(false)
    };
    let Some(binding) = binding else {
        return match owned? {
            Owned::Enclosing {
                owned,
                before,
                after,
            } => {
                let tokens: TokenStream = after.iter().map(ToTokens::to_token_stream).collect();
                match mentions(tokens, name) == 0 && ends_only(after) {
                    true => declared(name, before, Some(owned), not_captured, whole_only),
                    false => None,
                }
            }
            Owned::Params(params) => params.get(name).copied(),
            Owned::Captured(variables) => captured(variables),
            Owned::Closure(params, variables) => {
                params.get(name).copied().or_else(|| captured(variables))
            }
            Owned::Unseen => {
                (!not_captured && name.starts_with(|c: char| c.is_lowercase())).then_some(false)
            }
        };
    };
    let Stmt::Local(local) = &before[binding] else {
        return None;
    };
    if !local.attrs.iter().all(lint_attribute)
        || local.init.as_ref().is_some_and(|init| guard(&init.expr))
    {
        return None;
    }
    bound_by_value(&local.pat, name)
}

/// Whether `attr` only sets a lint (`#[allow(..)]`, `#[expect(..)]`) or a tool's setting
/// (`#[rustfmt::skip]`): the `let` it is on is compiled as written. Not `#[cfg]` or
/// `#[cfg_attr]`, which may leave that `let` out, so that an earlier one binds the name.
fn lint_attribute(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    path.segments.len() > 1
        || ["allow", "warn", "deny", "forbid", "expect"]
            .iter()
            .any(|lint| path.is_ident(lint))
}

/// Whether `tokens` name a field of `name` (`name.field`, `name.0`), not only call its methods
/// (`name.into_bytes()`).
fn names_field(tokens: TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.iter().enumerate().any(|(at, tree)| match tree {
        TokenTree::Ident(ident) if ident.unraw() == name => {
            let punct = |at: usize, c: char| {
                matches!(trees.get(at), Some(TokenTree::Punct(punct)) if punct.as_char() == c)
            };
            let member = matches!(
                trees.get(at + 2),
                Some(TokenTree::Ident(_) | TokenTree::Literal(_))
            );
            // `name.method(..)` or `name.method::<T>(..)`.
            let call = punct(at + 3, ':')
                || matches!(
                    trees.get(at + 3),
                    Some(TokenTree::Group(args)) if args.delimiter() == proc_macro2::Delimiter::Parenthesis
                );
            punct(at + 1, '.') && member && !call
        }
        TokenTree::Group(group) => names_field(group.stream(), name),
        _ => false,
    })
}

/// Whether `stmts`, the code after a statement, only make the value the function ends with:
/// nothing, or one tail expression (or `return`) of literals, paths, constructors (a call of a
/// path whose last name is capitalized, `new`, `default` or `from`), `into`, `to_string`,
/// `to_owned` and `clone`, references, tuples, arrays, struct literals, `vec!` and `format!`
/// (`Ok(vec![])`, `Err("none".into())`): nothing that could see a value dropped before it.
fn ends_only(stmts: &[Stmt]) -> bool {
    fn value(expr: &Expr) -> bool {
        match expr {
            Expr::Lit(_) | Expr::Path(_) => true,
            Expr::Call(call) => {
                let constructor = match &*call.func {
                    Expr::Path(path) => path.path.segments.last().is_some_and(|last| {
                        let name = last.ident.to_string();
                        name.starts_with(char::is_uppercase)
                            || ["new", "default", "from"].contains(&name.as_str())
                    }),
                    _ => false,
                };
                constructor && call.args.iter().all(value)
            }
            Expr::MethodCall(call) => {
                ["into", "to_string", "to_owned", "clone"]
                    .contains(&call.method.to_string().as_str())
                    && call.args.is_empty()
                    && value(&call.receiver)
            }
            Expr::Reference(reference) => value(&reference.expr),
            Expr::Paren(paren) => value(&paren.expr),
            Expr::Group(group) => value(&group.expr),
            Expr::Tuple(tuple) => tuple.elems.iter().all(value),
            Expr::Array(array) => array.elems.iter().all(value),
            Expr::Struct(record) => {
                record.fields.iter().all(|field| value(&field.expr))
                    && record.rest.as_deref().is_none_or(value)
            }
            Expr::Return(ret) => ret.expr.as_deref().is_none_or(value),
            Expr::Macro(mac) => crate::captures::makes_owned_value(&mac.mac),
            _ => false,
        }
    }
    match stmts {
        [] => true,
        [Stmt::Expr(expr, _)] => value(expr),
        [Stmt::Macro(mac)] => value(&Expr::Macro(syn::ExprMacro {
            attrs: Vec::new(),
            mac: mac.mac.clone(),
        })),
        _ => false,
    }
}

/// Whether `pat` binds `name` by value, alone or as a part of a tuple or a struct
/// (`let (done, _rx) = channel();`), and whether that binding is `mut`: the code after the
/// loop can bind it again alone. Not in an or-pattern, a slice or behind a reference, and not
/// by `ref` or with `@`.
fn bound_by_value(pat: &Pat, name: &str) -> Option<bool> {
    match pat {
        Pat::Ident(ident) if ident.ident.unraw() == name => {
            (ident.by_ref.is_none() && ident.subpat.is_none()).then_some(ident.mutability.is_some())
        }
        Pat::Type(typed) => bound_by_value(&typed.pat, name),
        Pat::Paren(paren) => bound_by_value(&paren.pat, name),
        Pat::Tuple(syn::PatTuple { elems, .. })
        | Pat::TupleStruct(syn::PatTupleStruct { elems, .. }) => {
            elems.iter().find_map(|elem| bound_by_value(elem, name))
        }
        Pat::Struct(record) => record
            .fields
            .iter()
            .find_map(|field| bound_by_value(&field.pat, name)),
        _ => None,
    }
}

/// Whether `init` makes a lock's or a cell's guard, or may (`m.lock().unwrap()`,
/// `match m.lock() { .. }`, `cell.borrow()`): nothing can be moved out of one, so a `return`
/// only reads through it, and the guard, which is not `Send`, stays shared rather than kept.
fn guard(init: &Expr) -> bool {
    struct Locks(bool);
    impl Visit<'_> for Locks {
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            self.0 |= GUARDS.contains(&call.method.to_string().as_str());
            visit::visit_expr_method_call(self, call);
        }
    }
    let mut locks = Locks(false);
    locks.visit_expr(init);
    locks.0
}

/// The methods that make a guard.
const GUARDS: &[&str] = &[
    "lock",
    "read",
    "write",
    "try_lock",
    "try_read",
    "try_write",
    "borrow",
    "borrow_mut",
];

/// Whether a parameter of type `ty` may be a guard (`MutexGuard<'_, T>`, `Ref<'_, T>`): see
/// [`guard`].
pub(crate) fn guard_type(ty: &syn::Type) -> bool {
    struct Named(bool);
    impl Visit<'_> for Named {
        fn visit_path_segment(&mut self, segment: &syn::PathSegment) {
            let name = segment.ident.to_string();
            self.0 |= name.ends_with("Guard") || name == "Ref" || name == "RefMut";
            visit::visit_path_segment(self, segment);
        }
    }
    let mut named = Named(false);
    named.visit_type(ty);
    named.0
}

/// Whether `stmt` leaves no borrow of the variable `name` behind: it does not mention it, or
/// it is a statement of its own that calls a method on it (or on a field of it) with literal
/// arguments only (`fallback.push('!');`, `self.name.push('!');`: a `&self` method may store
/// the borrow in an argument, as `item.register(&mut names)` does), or with any arguments a
/// standard container's changing method (`report.push(format!(..));`, `seen.extend(xs);`:
/// its elements' type is fixed before the call, so it cannot hold a borrow of the container
/// itself; a user's method of that name that stores one is refused by rustc at the loop, as
/// a move of a borrowed value), assigns to it or to a
/// field of it (`n += 1;`, `self.steps += 1;`), formats it (`println!("{fallback}");`), or
/// binds a name to a copy of a field made by a method known to return an owned value (`let
/// label = self.name.clone();`), or, where the loop's `return`s use it only whole
/// (`whole_only`), to a field of it (`let target = self.target;`). A field that is not `Copy`
/// is moved out by the latter: the sequential loop's `return` of the whole is then refused
/// too (rustc reports the partial move at `for` rather than at the `return`), where a `return`
/// of another field would not be.
///
/// (A user's `clone` that returns a borrow, `View<'_>`, is taken for an owned copy: the cell
/// then moves the variable while the copy borrows it, which rustc refuses at the loop.)
fn leaves_no_borrow(stmt: &Stmt, name: &str, whole_only: bool) -> bool {
    if mentions(stmt.to_token_stream(), name) == 0 {
        return true;
    }
    let is_name = |mut expr: &Expr| {
        while let Expr::Field(field) = expr {
            expr = &field.base;
        }
        matches!(expr, Expr::Path(path) if path.path.get_ident().is_some_and(|ident| ident.unraw() == name))
    };
    let not_in = |expr: &Expr| mentions(expr.to_token_stream(), name) == 0;
    match stmt {
        Stmt::Expr(Expr::MethodCall(call), Some(_)) => {
            is_name(&call.receiver)
                && (call.args.iter().all(|arg| matches!(arg, Expr::Lit(_)))
                    || MUTATING.contains(&call.method.to_string().as_str()))
        }
        Stmt::Expr(Expr::Assign(assign), Some(_)) => is_name(&assign.left) && not_in(&assign.right),
        Stmt::Expr(Expr::Binary(binary), Some(_)) => is_name(&binary.left) && not_in(&binary.right),
        Stmt::Local(local) if crate::captures::binds_whole(&local.pat) => match &local.init {
            Some(syn::LocalInit {
                expr,
                diverge: None,
                ..
            }) => match &**expr {
                Expr::Field(_) => whole_only && is_name(expr),
                Expr::MethodCall(call) => {
                    is_name(&call.receiver)
                        && call.args.is_empty()
                        && ["clone", "to_owned", "to_string", "to_vec"]
                            .contains(&call.method.to_string().as_str())
                }
                _ => false,
            },
            _ => false,
        },
        Stmt::Macro(mac) => mac
            .mac
            .path
            .segments
            .last()
            .is_some_and(|last| FORMATTING.contains(&last.ident.to_string().as_str())),
        _ => false,
    }
}

fn attributes(attrs: &[syn::Attribute]) -> TokenStream {
    attrs.iter().map(ToTokens::to_token_stream).collect()
}

/// Whether `tokens` dereference the variable `name` (`*name`), or might (`a * name`).
fn dereferenced(tokens: TokenStream, name: &str) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.iter().enumerate().any(|(at, tree)| match tree {
        TokenTree::Group(group) => dereferenced(group.stream(), name),
        TokenTree::Ident(ident) => ident.unraw() == name
            && at.checked_sub(1).is_some_and(
                |before| matches!(&tokens[before], TokenTree::Punct(star) if star.as_char() == '*'),
            ),
        _ => false,
    })
}

/// How often `name` appears in `tokens`: as an identifier, or in a literal that may be a
/// format string using it (`"{fallback}: {name}"`, in a macro).
fn mentions(tokens: TokenStream, name: &str) -> usize {
    let (whole, formatted) = (format!("{{{name}}}"), format!("{{{name}:"));
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    // `self::LIMIT` names a module, not the receiver.
    let module = |at: usize| matches!(trees.get(at + 1), Some(TokenTree::Punct(colon)) if colon.as_char() == ':');
    trees
        .iter()
        .enumerate()
        .map(|(at, tree)| match tree {
            TokenTree::Ident(ident) if ident == "self" && module(at) => 0,
            TokenTree::Ident(ident) => usize::from(ident.unraw() == name),
            TokenTree::Group(group) => mentions(group.stream(), name),
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                usize::from(text.contains(&whole) || text.contains(&formatted))
            }
            TokenTree::Punct(_) => 0,
        })
        .sum()
}

/// The variables that the exits of a body's own flow may move out, and how often the exits
/// mention each name: not in its closures, async blocks, items or parallel loops, whose
/// `return`s are not the loop's.
#[derive(Default)]
struct Exits {
    /// Each name an exit may move (see [`moved_from`]), as first written.
    moved: HashMap<String, Ident>,
    /// How often the exits mention each name, moved or not (a `return` that only formats a
    /// kept variable takes it too).
    mentioned: HashMap<String, usize>,
    /// Those mentioned by an exit holding a `continue` or `break`: it could take the values
    /// and go on.
    not_leaving: Vec<String>,
}

impl Exits {
    fn note(&mut self, exit: &Expr) {
        let mut moved = Vec::new();
        moved_from(exit, &mut moved);
        self.record(exit.to_token_stream(), moved);
    }

    /// Notes an [`exit_block`]: what its statements move on the way to its `return`, and the
    /// `return`'s value. Not, after one of its `let`s, the names that `let` binds (`let msg =
    /// format!(..); return Err(msg);`), which are not the variables of those names outside the
    /// loop.
    fn note_block(&mut self, block: &syn::Block) {
        // A name is the block's own only after the `let` that binds it (`let name =
        // name.unwrap();` moves the outer `name`).
        let mut own: HashSet<String> = HashSet::new();
        let mut moved = Vec::new();
        for stmt in &block.stmts {
            let mut here = Vec::new();
            match stmt {
                Stmt::Local(local) => {
                    if let Some(init) = &local.init {
                        moved_from(&init.expr, &mut here);
                    }
                }
                Stmt::Expr(Expr::Return(ret), _) => {
                    if let Some(value) = &ret.expr {
                        moved_from(value, &mut here);
                    }
                }
                Stmt::Expr(expr, _) => moved_from(expr, &mut here),
                Stmt::Macro(mac) => {
                    let mac = Expr::Macro(syn::ExprMacro {
                        attrs: Vec::new(),
                        mac: mac.mac.clone(),
                    });
                    moved_from(&mac, &mut here);
                }
                Stmt::Item(_) => {}
            }
            moved.extend(
                here.into_iter()
                    .filter(|name| !own.contains(&name.unraw().to_string())),
            );
            if let Stmt::Local(_) = stmt {
                own.extend(changes::binds_in(stmt));
            }
        }
        self.record(block.to_token_stream(), moved);
    }

    /// Notes what an exit moves, and how often it mentions each name (moved or not).
    fn record(&mut self, tokens: TokenStream, moved: Vec<Ident>) {
        let goes_on = mentions(tokens.clone(), "continue") + mentions(tokens.clone(), "break") > 0;
        for name in moved {
            self.moved.entry(name.unraw().to_string()).or_insert(name);
        }
        for name in names_in(tokens.clone()) {
            let key = name.unraw().to_string();
            *self.mentioned.entry(key.clone()).or_default() += mentions(tokens.clone(), &key);
            if goes_on {
                self.not_leaving.push(key);
            }
        }
    }
}

/// The variables that `value`, an exit's value, may move out, as far as its syntax shows: a
/// name where a value is used (`Ok(fallback)`, `vec![fallback]`, `prefix + ".."`, a branch of
/// an `if` or `match`), the variable of a field (`cfg.fallback`, a partial move), and the
/// receiver of a method that takes `self` by value by its name (`msg.into()`, `.unwrap()`,
/// `.map(..)`), also inside a value that is then only borrowed (`msg.into_bytes().len()`).
/// Not a name borrowed (`&x`, a method that borrows, `.len()`, a formatting macro's
/// arguments): a variable only borrowed stays shared as before, which needs it `Sync` rather
/// than `Send` (a lock's guard is the one, not the other).
fn moved_from(value: &Expr, moved: &mut Vec<Ident>) {
    match value {
        Expr::Path(path) if path.qself.is_none() => moved.extend(path.path.get_ident().cloned()),
        // A field of a field moves part of the variable at the root; a field of a value made
        // there (`make(x).len`) reads it from what the making moved.
        Expr::Field(field) => moved_from(&field.base, moved),
        // An element of a value made there (`name.into_bytes()[0]`); not of a place, which
        // indexing borrows.
        Expr::Index(index) => {
            if !place_expression(&index.expr) {
                moved_from(&index.expr, moved);
            }
            moved_from(&index.index, moved);
        }
        // A method that borrows its receiver moves nothing of a place (`name.len()`), but the
        // value it borrows may be made there, moving what it is made of
        // (`name.into_bytes().len()`).
        Expr::MethodCall(call) => {
            if takes_self(&call.method) || !place_expression(&call.receiver) {
                moved_from(&call.receiver, moved);
            }
            call.args.iter().for_each(|arg| moved_from(arg, moved));
        }
        Expr::Call(call) => call.args.iter().for_each(|arg| moved_from(arg, moved)),
        Expr::Tuple(tuple) => tuple.elems.iter().for_each(|elem| moved_from(elem, moved)),
        Expr::Array(array) => array.elems.iter().for_each(|elem| moved_from(elem, moved)),
        Expr::Struct(record) => record
            .fields
            .iter()
            .for_each(|field| moved_from(&field.expr, moved)),
        Expr::Paren(paren) => moved_from(&paren.expr, moved),
        Expr::Group(group) => moved_from(&group.expr, moved),
        Expr::Cast(cast) => moved_from(&cast.expr, moved),
        Expr::Try(tried) => moved_from(&tried.expr, moved),
        Expr::Await(awaited) => moved_from(&awaited.base, moved),
        // `-x`, `!x`, `*boxed` (a guard, which `*g` reads through, is never kept: see
        // `guard`).
        Expr::Unary(unary) => moved_from(&unary.expr, moved),
        Expr::Unsafe(block) => tail_moves(&block.block, moved),
        Expr::Let(bound) => moved_from(&bound.expr, moved),
        // A `move` closure takes every variable it names.
        Expr::Closure(closure) if closure.capture.is_some() => {
            struct Named<'a>(&'a mut Vec<Ident>);
            impl Visit<'_> for Named<'_> {
                fn visit_path(&mut self, path: &syn::Path) {
                    self.0.extend(path.get_ident().cloned());
                }
            }
            Named(moved).visit_expr(&closure.body);
        }
        Expr::Binary(binary) if !compares(&binary.op) => {
            moved_from(&binary.left, moved);
            moved_from(&binary.right, moved);
        }
        Expr::Block(block) => tail_moves(&block.block, moved),
        Expr::If(branches) => {
            moved_from(&branches.cond, moved);
            tail_moves(&branches.then_branch, moved);
            if let Some((_, otherwise)) = &branches.else_branch {
                moved_from(otherwise, moved);
            }
        }
        Expr::Match(matched) => {
            // The scrutinee moves into the arms that bind by value.
            moved_from(&matched.expr, moved);
            matched
                .arms
                .iter()
                .for_each(|arm| moved_from(&arm.body, moved));
        }
        Expr::Macro(mac) => match error_argument(&mac.mac) {
            // `anyhow!(e)` moves `e`; with a format string it only borrows.
            Some((args, at)) => moved_from(&args[at], moved),
            None => {
                let named = mac.mac.path.segments.last();
                // `dbg!` returns what it is given; the other formatting macros borrow, but a
                // value they borrow may be made there (`format!("{}", name.into_bytes().len())`).
                let borrows = named.is_some_and(|last| {
                    last.ident != "dbg" && FORMATTING.contains(&last.ident.to_string().as_str())
                });
                if let Some(args) = expression_arguments(&mac.mac) {
                    args.iter()
                        .filter(|arg| !borrows || !place_expression(arg))
                        .for_each(|arg| moved_from(arg, moved));
                }
            }
        },
        // A reference to a value made there (`&name.into_bytes()`), not to a place.
        Expr::Reference(reference) if !place_expression(&reference.expr) => {
            moved_from(&reference.expr, moved);
        }
        _ => {}
    }
}

/// Whether `expr` is a place expression (a variable, a constant, or a field, element or
/// dereference of one): what a method call or an index borrows rather than moves. Wider than
/// `captures::is_place`, a variable or a field of one, which is what a closure captures.
fn place_expression(expr: &Expr) -> bool {
    match expr {
        Expr::Path(path) => path.qself.is_none(),
        Expr::Field(field) => place_expression(&field.base),
        Expr::Index(index) => place_expression(&index.expr),
        Expr::Paren(paren) => place_expression(&paren.expr),
        Expr::Group(group) => place_expression(&group.expr),
        // `*boxed`, `*guard`: through a pointer, which a method borrows too.
        Expr::Unary(unary) => {
            matches!(unary.op, syn::UnOp::Deref(_)) && place_expression(&unary.expr)
        }
        _ => false,
    }
}

fn tail_moves(block: &syn::Block, moved: &mut Vec<Ident>) {
    if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
        moved_from(tail, moved);
    }
}

/// Whether a binary operator only compares (borrows) its operands.
fn compares(op: &syn::BinOp) -> bool {
    use syn::BinOp::{And, Eq, Ge, Gt, Le, Lt, Ne, Or};
    matches!(
        op,
        Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_) | And(_) | Or(_)
    )
}

/// Whether a method of this name takes `self` by value in the standard library's types
/// (`into`, `into_iter`, `unwrap`, `expect`, `ok_or`, `map`): its receiver may be moved.
fn takes_self(method: &Ident) -> bool {
    let name = method.to_string();
    name.starts_with("into")
        || name.starts_with("unwrap")
        || name.starts_with("expect")
        || name.starts_with("ok_or")
        || name.starts_with("map")
        || matches!(
            name.as_str(),
            "ok" | "err"
                | "and_then"
                | "or_else"
                | "or"
                | "and"
                | "filter"
                | "zip"
                | "chain"
                | "rev"
                | "skip"
                | "collect"
                | "sum"
                | "product"
                // anyhow's and eyre's `Context` on a `Result` or `Option`.
                | "context"
                | "with_context"
                | "wrap_err"
        )
}

/// The names in `tokens`, each once, as first written: identifiers, and the names that a
/// literal may format inline (`"{fallback}"`, spanned at the literal).
fn names_in(tokens: TokenStream) -> Vec<Ident> {
    fn add(names: &mut Vec<Ident>, ident: Ident) {
        if !names.iter().any(|name| name.unraw() == ident.unraw()) {
            names.push(ident);
        }
    }
    fn walk(tokens: TokenStream, names: &mut Vec<Ident>) {
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) => add(names, ident),
                TokenTree::Group(group) => walk(group.stream(), names),
                TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    for inline in text.split('{').skip(1) {
                        let end = inline.find(['}', ':']).unwrap_or(0);
                        if let Ok(mut ident) = syn::parse_str::<Ident>(&inline[..end]) {
                            ident.set_span(literal.span());
                            add(names, ident);
                        }
                    }
                }
                TokenTree::Punct(_) => {}
            }
        }
    }
    let mut names = Vec::new();
    walk(tokens, &mut names);
    names
}

/// Whether `block` of a loop's body ends in a `return` after other statements (`{ let err =
/// anyhow!("bad").context(context); return Err(err); }`): sequentially, what those statements
/// move out moves once, on the way to the `return`, as what the `return`'s value moves does.
/// A loop keeps such variables for the block, which takes them at its first statement that
/// mentions one (see [`take_kept_in_block`]). Not the body itself, which every iteration runs.
pub(crate) fn exit_block(block: &syn::Block) -> bool {
    block.stmts.len() > 1 && matches!(block.stmts.last(), Some(Stmt::Expr(Expr::Return(_), _)))
}

impl Visit<'_> for Exits {
    fn visit_block(&mut self, block: &syn::Block) {
        match exit_block(block) {
            true => self.note_block(block),
            false => visit::visit_block(self, block),
        }
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Return(ret) => {
                if let Some(value) = &ret.expr {
                    self.note(value);
                }
            }
            Expr::Closure(_) | Expr::Async(_) => return,
            Expr::ForLoop(inner) if inner.attrs.iter().any(is_marker) => return,
            Expr::While(inner) if inner.attrs.iter().any(is_marker) => return,
            _ => {}
        }
        visit::visit_expr(self, expr);
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        if let Some(error) = returned_error(mac) {
            self.note(&error);
        }
    }

    fn visit_item(&mut self, _: &syn::Item) {}
}
