//! Variables declared outside a parallel loop that only the `return`s of its body move out
//! (`return Ok(fallback)`). Sequentially the `return` leaves the loop, so the value moves
//! once; in parallel several iterations may reach it at once, and a thread loop's body is a
//! closure that may not move what it captures. The rewrite moves such a variable into a cell
//! before the loop, the first iteration that returns takes it, and the statement after the
//! loop binds the name again (see `failfast_runtime::rewrite::Kept`).
//!
//! Only where the syntax shows that this is what the sequential loop does: the variable is
//! declared by a `let` of the loop's own block (or is a parameter of the function whose body
//! that block is), so that binding it again after the loop is in its scope; and the loop's
//! input, head and body mention it nowhere but where a `return` (or anyhow's `bail!(e)` or
//! `ensure!(cond, e)`) moves it. (Not an `Err(e)?`, which moves `e` before it returns, so
//! that the sequential loop does not compile either.)
//! Any other variable a `return` moves is checked as before (see `captures::Used::moved`).

use crate::captures::{error_argument, moved_parts};
use crate::changes;
use crate::find::is_marker;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::HashMap;
use syn::visit::{self, Visit};
use syn::{Expr, Ident, Pat, Stmt};

/// A variable that a parallel loop keeps for its first `return`.
#[derive(Clone)]
pub(crate) struct Kept {
    /// As the loop's `return` writes it.
    pub(crate) name: Ident,
    /// Whether its binding is `mut`: binding it again after the loop keeps that.
    pub(crate) mutable: bool,
}

/// The variables that `looped`, a parallel loop written as a statement after `before` in its
/// block, may keep (see the module). `params` are the function's parameters bound by name,
/// with whether each is `mut`, when the block is the function's body.
pub(crate) fn keepable(
    looped: &Expr,
    before: &[Stmt],
    params: Option<&HashMap<String, bool>>,
) -> Vec<Kept> {
    let (outside, body) = match looped {
        // The input is evaluated before the loop and the head by it: neither may use the
        // variable, which is in the cell by then.
        Expr::ForLoop(for_loop) => (
            vec![
                for_loop.pat.to_token_stream(),
                for_loop.expr.to_token_stream(),
            ],
            &for_loop.body,
        ),
        Expr::While(while_loop) => (vec![while_loop.cond.to_token_stream()], &while_loop.body),
        _ => return Vec::new(),
    };
    let mut exits = Exits::default();
    exits.visit_block(body);
    let mut kept: Vec<Kept> = Vec::new();
    for (name, count) in exits.moved {
        if name == "self" || exits.not_leaving.contains(&name) {
            continue;
        }
        let mentions = outside
            .iter()
            .chain([&body.to_token_stream()])
            .map(|tokens| mentions(tokens.clone(), &name))
            .sum::<usize>();
        if mentions != count {
            continue;
        }
        if let Some(mutable) = declared(&name, before, params) {
            let name = exits.first[&name].clone();
            kept.push(Kept { name, mutable });
        }
    }
    kept.sort_by_key(|kept| kept.name.to_string());
    kept
}

/// In an exit of a loop's own flow (the value of a `return`, or a [`returns_error`] macro
/// call), each place where it moves a variable of
/// `kept` out, replaced by `taken` of it.
pub(crate) fn take_kept(exit: &mut Expr, kept: &[Kept], taken: &mut dyn FnMut(&Ident) -> Expr) {
    moved_parts(exit, &mut |part| match part {
        Expr::Path(path) => {
            let Some(name) = path.path.get_ident() else {
                return;
            };
            if let Some(kept) = kept.iter().find(|kept| kept.name == *name) {
                // At the `return`'s own variable, so that rustc reports it there.
                let mut name = kept.name.clone();
                name.set_span(path.path.segments[0].ident.span());
                *part = taken(&name);
            }
        }
        Expr::Macro(mac) => take_kept_in_macro(&mut mac.mac, kept, &mut *taken),
        _ => {}
    });
}

/// [`take_kept`] in the error a macro making or returning one moves out (`bail!(e)`).
pub(crate) fn take_kept_in_macro(
    mac: &mut syn::Macro,
    kept: &[Kept],
    taken: &mut dyn FnMut(&Ident) -> Expr,
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

/// Whether `name` is declared where binding it again after the loop is its scope: by the last
/// statement of `before` that binds it, which must be a `let` of the name alone
/// (`let mut fallback: String = ..`), or else as a parameter. `Some` with whether it is `mut`.
fn declared(name: &str, before: &[Stmt], params: Option<&HashMap<String, bool>>) -> Option<bool> {
    let binding = before
        .iter()
        .rev()
        .find(|stmt| changes::binds_in(stmt).contains(name));
    let Some(binding) = binding else {
        return params?.get(name).copied();
    };
    let Stmt::Local(local) = binding else {
        return None;
    };
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

/// How often `name` appears in `tokens`: as an identifier, or in a literal that may be a
/// format string using it (`"{fallback}: {name}"`, in a macro).
fn mentions(tokens: TokenStream, name: &str) -> usize {
    let inline = format!("{{{name}");
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) => usize::from(ident == name),
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
    /// Those that an exit holding a `continue` moves: it may take the value and go on.
    not_leaving: Vec<String>,
}

impl Exits {
    fn note(&mut self, exit: &Expr) {
        let goes_on = mentions(exit.to_token_stream(), "continue") > 0;
        let mut exit = exit.clone();
        moved_parts(&mut exit, &mut |part| {
            let name = match part {
                Expr::Path(path) => path.path.get_ident().cloned(),
                Expr::Macro(mac) => {
                    error_argument(&mac.mac).and_then(|(args, at)| match &args[at] {
                        Expr::Path(path) => path.path.get_ident().cloned(),
                        _ => None,
                    })
                }
                _ => None,
            };
            let Some(name) = name else { return };
            let key = name.to_string();
            *self.moved.entry(key.clone()).or_default() += 1;
            self.first
                .entry(key.clone())
                .or_insert_with(|| name.clone());
            if goes_on {
                self.not_leaving.push(key);
            }
        });
    }
}

impl Visit<'_> for Exits {
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
        if returns_error(mac) {
            self.note(&Expr::Macro(syn::ExprMacro {
                attrs: Vec::new(),
                mac: mac.clone(),
            }));
        }
    }

    fn visit_item(&mut self, _: &syn::Item) {}
}
