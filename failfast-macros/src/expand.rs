//! The rewrite of marked loops onto the runtime. Assumes `check` found nothing wrong.
//!
//! ```text
//! for PAT in INPUT { BODY }
//! ```
//! becomes
//! ```text
//! {
//!     let outcome = ::failfast::__private::try_for_each(INPUT, WORKERS, |PAT| {
//!         BODY                      // `continue` -> `return Outcome::success()`
//!         Outcome::success()
//!     });
//!     if let Some(failed) = Fallible::exit(outcome) {
//!         return failed;
//!     }
//! }
//! ```
//! The closure's return type is not written: `Fallible::exit` ties it to the
//! enclosing function's return type (`Result<T, E>` gives `Result<(), E>`), so `?` in the body
//! converts errors with `From` into the function's own error type, as in the sequential loop.

use crate::args::{Options, Workers};
use crate::find::is_marker;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, ExprForLoop, Ident, Item, Lifetime, Pat};

/// Rewrites every marked loop in `block`, innermost first.
pub(crate) fn marked_loops(block: &mut Block, defaults: &Options) {
    Expander { defaults }.visit_block_mut(block);
}

/// Rewrites the loops marked inside `for_loop`, then `for_loop` itself.
pub(crate) fn loop_and_marked_inside(mut for_loop: ExprForLoop, options: &Options) -> Expr {
    marked_loops(&mut for_loop.body, options);
    parallel_loop(for_loop, options)
}

struct Expander<'a> {
    defaults: &'a Options,
}

impl VisitMut for Expander<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // Children first: a nested parallel loop is rewritten before the loop around it.
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::ForLoop(for_loop) = expr {
            if let Some(at) = for_loop.attrs.iter().position(is_marker) {
                let marker = for_loop.attrs.remove(at);
                let options = self.defaults.overridden_by(&Options::of_marker(&marker));
                let placeholder = Expr::Verbatim(TokenStream::new());
                let Expr::ForLoop(for_loop) = std::mem::replace(expr, placeholder) else {
                    unreachable!()
                };
                *expr = parallel_loop(for_loop, &options);
            }
        }
    }

    // A nested item is expanded by its own attribute.
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

fn parallel_loop(for_loop: ExprForLoop, options: &Options) -> Expr {
    let ExprForLoop {
        attrs,
        label,
        for_token,
        pat,
        expr: input,
        mut body,
        ..
    } = for_loop;
    // Generated tokens carry the `for` keyword's span, so that rustc's errors about them (an
    // item that is not `Send`, a capture that is not `Sync`) point at the user's loop.
    let span = for_token.span;
    let krate = match &options.krate {
        Some(krate) => quote!(#krate),
        None => quote_spanned!(span=> ::failfast),
    };
    let private = quote_spanned!(span=> #krate::__private);
    let workers = match &options.workers {
        Some(Workers::Literal(literal)) => quote!(#literal),
        Some(Workers::Expr(expr)) => quote!(#expr),
        None => quote_spanned!(span=> #private::default_workers()),
    };
    let parallel_label = label.as_ref().map(|label| &label.name);
    Continues {
        parallel_label,
        nested_loops: 0,
        private: &private,
    }
    .visit_block_mut(&mut body);
    // A closure parameter cannot be an or-pattern without parentheses; any other pattern is
    // kept as written, so that no `unused_parens` lint points at the user's code.
    let pat = match *pat {
        Pat::Or(or) => quote!((#or)),
        pat => quote!(#pat),
    };
    // Hygienic, so the user's code cannot name it, but located at the loop, so that errors
    // about it do not point at the attribute.
    let hygienic = Span::mixed_site().located_at(span);
    let outcome = Ident::new("__failfast_outcome", hygienic);
    // The whole exit in one span, so that a wrong return type is reported once.
    let exit = quote_spanned! {hygienic=>
        if let ::core::option::Option::Some(#outcome) = #private::Fallible::exit(#outcome) {
            return #outcome;
        }
    };
    parse_quote_spanned(quote_spanned! {span=>
        {
            #(#attrs)*
            let #outcome = #private::try_for_each(#input, #workers, |#pat| {
                #body
                #private::Outcome::success()
            });
            #exit
        }
    })
}

fn parse_quote_spanned(tokens: TokenStream) -> Expr {
    syn::parse2(tokens).expect("the rewrite of a valid loop parses")
}

/// Turns each `continue` of the parallel loop into the end of its iteration.
struct Continues<'a> {
    parallel_label: Option<&'a Lifetime>,
    nested_loops: usize,
    private: &'a TokenStream,
}

impl VisitMut for Continues<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Continue(jump) => {
                let ours = match &jump.label {
                    Some(label) => self
                        .parallel_label
                        .is_some_and(|parallel| parallel.ident == label.ident),
                    None => self.nested_loops == 0,
                };
                if ours {
                    let private = self.private;
                    let span = jump.continue_token.span;
                    *expr = parse_quote_spanned(
                        quote_spanned!(span=> return #private::Outcome::success()),
                    );
                }
            }
            Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) => {
                self.nested_loops += 1;
                visit_mut::visit_expr_mut(self, expr);
                self.nested_loops -= 1;
            }
            // Their `continue` is their own; nested parallel loops are closures by now.
            Expr::Closure(_) | Expr::Async(_) => {}
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}
}
