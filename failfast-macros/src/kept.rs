//! Variables declared outside a parallel loop that only the `return`s of its body use
//! (`return Ok(fallback)`, `return Err(msg.into())`, `return Ok(cfg.name)`). Sequentially the
//! `return` leaves the loop, so the value moves once; in parallel several iterations may reach
//! it at once, and a thread loop's body is a closure that may not move what it captures. The
//! rewrite moves such variables into one cell before the loop, the first iteration that
//! reaches such a `return` takes them all, and the code after the loop gets back the ones it
//! uses (see `failfast_runtime::rewrite::Kept`).
//!
//! Only where the syntax shows that this is what the sequential loop does:
//! - the loop's options, input, head and body mention the variable nowhere but in the values
//!   of its `return`s (or the error of anyhow's `bail!(e)` or `ensure!(cond, e)`), and no
//!   such value holds a `continue` (which could take the values and go on). Not an
//!   `Err(e)?`, which moves `e` before it returns, so that the sequential loop does not
//!   compile either;
//! - it is declared by a `let` of the loop's own block, with no attribute (`#[cfg]`), or is a
//!   parameter of the function whose body that block is: after the loop is its scope;
//! - between its declaration and the loop it is only a method's receiver, assigned, or
//!   formatted, in statements of their own: no borrow of it may live across the loop (the
//!   sequential `return` moves it where such a borrow is dead; the cell takes it before).
//!
//! A `return` that only borrows such a variable (`Err(format!("{msg}"))`) takes it too: the
//! loop ends there either way. Any other variable a `return` moves is checked as before (see
//! `captures::Used::moved`).

use crate::captures::{error_argument, FORMATTING};
use crate::changes;
use crate::find::is_marker;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::HashMap;
use syn::ext::IdentExt as _;
use syn::visit::{self, Visit};
use syn::{Expr, Ident, Pat, Stmt};

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
}

/// The variables that `looped`, a parallel loop written as a statement between `before` and
/// `after` in its block, may keep (see the module). Names are compared without `r#`.
/// `params` are the function's parameters bound by name, with whether each is `mut`, when the
/// block is the function's body; `options` the tokens of the function's options.
pub(crate) fn keepable(
    looped: &Expr,
    before: &[Stmt],
    after: &[Stmt],
    params: Option<&HashMap<String, bool>>,
    options: TokenStream,
) -> Vec<Kept> {
    // The input is evaluated before the loop, the head by it, and the options (the
    // function's, and the loop's marker's) as it starts: none may use the variable, which is
    // in the cell by then.
    let (outside, body) = match looped {
        Expr::ForLoop(for_loop) => (
            vec![
                options,
                attributes(&for_loop.attrs),
                for_loop.pat.to_token_stream(),
                for_loop.expr.to_token_stream(),
            ],
            &for_loop.body,
        ),
        Expr::While(while_loop) => (
            vec![
                options,
                attributes(&while_loop.attrs),
                while_loop.cond.to_token_stream(),
            ],
            &while_loop.body,
        ),
        _ => return Vec::new(),
    };
    let mut exits = Exits::default();
    exits.visit_block(body);
    let after: TokenStream = after.iter().map(ToTokens::to_token_stream).collect();
    let body = body.to_token_stream();
    let mut kept: Vec<Kept> = Vec::new();
    for (name, count) in exits.moved {
        if name == "self" || exits.not_leaving.contains(&name) {
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
        if let Some(mutable) = declared(&name, before, params) {
            kept.push(Kept {
                name: exits.first[&name].clone(),
                mutable,
                used_after: self::mentions(after.clone(), &name) > 0,
            });
        }
    }
    kept.sort_by_key(|kept| kept.name.to_string());
    kept
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
        let value = std::mem::replace(exit, Expr::Verbatim(TokenStream::new()));
        let taken = taken(&moved);
        // Read once: the exit may mention the name as something else too (a field).
        let read = moved.iter().flatten();
        *exit = syn::parse_quote!({ #taken; #(let _ = &#read;)* #value });
    }
}

/// [`take_kept`] for the error that a [`returns_error`] macro call moves out (`bail!(e)`).
pub(crate) fn take_kept_in_macro(
    mac: &mut syn::Macro,
    kept: &[Kept],
    taken: &dyn Fn(&[Option<Ident>]) -> Stmt,
) {
    let Some((mut args, at)) = error_argument(mac) else {
        return;
    };
    take_kept(&mut args[at], kept, taken);
    mac.tokens = args.to_token_stream();
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
/// statement of `before` that binds it, which must be a `let` of the name alone
/// (`let mut fallback: String = ..`) with no attribute, or else as a parameter; and whether
/// no borrow of it may live across the loop (see the module). `Some` with whether it is `mut`.
fn declared(name: &str, before: &[Stmt], params: Option<&HashMap<String, bool>>) -> Option<bool> {
    let binding = before.iter().rposition(|stmt| {
        changes::binds_in(stmt)
            .iter()
            .any(|bound| bound.strip_prefix("r#").unwrap_or(bound) == name)
    });
    let since = &before[binding.map_or(0, |at| at + 1)..];
    if !since.iter().all(|stmt| leaves_no_borrow(stmt, name)) {
        return None;
    }
    let Some(binding) = binding else {
        return params?.get(name).copied();
    };
    let Stmt::Local(local) = &before[binding] else {
        return None;
    };
    if !local.attrs.is_empty() {
        return None;
    }
    let mut pat = &local.pat;
    if let Pat::Type(typed) = pat {
        pat = &typed.pat;
    }
    match pat {
        Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
            Some(ident.mutability.is_some())
        }
        _ => None,
    }
}

/// Whether `stmt` leaves no borrow of the variable `name` behind: it does not mention it, or
/// it is a statement of its own that calls a method on it with literal arguments only
/// (`fallback.push('!');`: a `&self` method may store the borrow in an argument, as
/// `item.register(&mut names)` does), assigns to it (`n += 1;`), or formats it
/// (`println!("{fallback}");`).
fn leaves_no_borrow(stmt: &Stmt, name: &str) -> bool {
    if mentions(stmt.to_token_stream(), name) == 0 {
        return true;
    }
    let is_name = |expr: &Expr| matches!(expr, Expr::Path(path) if path.path.get_ident().is_some_and(|ident| ident.unraw() == name));
    let not_in = |expr: &Expr| mentions(expr.to_token_stream(), name) == 0;
    match stmt {
        Stmt::Expr(Expr::MethodCall(call), Some(_)) => {
            is_name(&call.receiver) && call.args.iter().all(|arg| matches!(arg, Expr::Lit(_)))
        }
        Stmt::Expr(Expr::Assign(assign), Some(_)) => is_name(&assign.left) && not_in(&assign.right),
        Stmt::Expr(Expr::Binary(binary), Some(_)) => is_name(&binary.left) && not_in(&binary.right),
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

/// How often `name` appears in `tokens`: as an identifier, or in a literal that may be a
/// format string using it (`"{fallback}: {name}"`, in a macro).
fn mentions(tokens: TokenStream, name: &str) -> usize {
    let inline = format!("{{{name}");
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) => usize::from(ident.unraw() == name),
            TokenTree::Group(group) => mentions(group.stream(), name),
            TokenTree::Literal(literal) => usize::from(literal.to_string().contains(&inline)),
            TokenTree::Punct(_) => 0,
        })
        .sum()
}

/// The variables that the exits of a body's own flow move out: not in its closures, async
/// blocks, items or parallel loops, whose `return`s are not the loop's.
#[derive(Default)]
struct Exits {
    /// How often each is moved.
    moved: HashMap<String, usize>,
    /// Each as first written.
    first: HashMap<String, Ident>,
    /// Those that an exit holding a `continue` moves: it could take the values and go on.
    not_leaving: Vec<String>,
}

impl Exits {
    /// An exit: every variable it mentions may be what it moves (`Ok(fallback)`,
    /// `Err(msg.into())`, `Ok(cfg.name)`, `vec![fallback]`), and the cell gives it by value.
    fn note(&mut self, exit: TokenStream) {
        let goes_on = mentions(exit.clone(), "continue") > 0;
        for name in names_in(exit.clone()) {
            let key = name.unraw().to_string();
            *self.moved.entry(key.clone()).or_default() += mentions(exit.clone(), &key);
            self.first.entry(key.clone()).or_insert(name);
            if goes_on {
                self.not_leaving.push(key);
            }
        }
    }
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

impl Visit<'_> for Exits {
    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Return(ret) => {
                if let Some(value) = &ret.expr {
                    self.note(value.to_token_stream());
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
        if returns_error(mac) {
            if let Some((args, at)) = error_argument(mac) {
                self.note(args[at].to_token_stream());
            }
        }
    }

    fn visit_item(&mut self, _: &syn::Item) {}
}
