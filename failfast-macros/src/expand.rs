//! The code a [`ParallelLoop`] becomes. Assumes `check` found nothing wrong.
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
//!             input => (&&&probe(&input))  // the input's type picks the engine's path
//!                 .__failfast_path()       // `SITE`: a `static`, this loop's identity
//!                 .thread_loop(input, WORKERS, &SITE, |PAT| {
//!                     BODY                 // `continue`  -> `return Flow::success()`
//!                     Flow::success()      // `return x`  -> `return Flow::from_exit(x)`
//!                 }),
//!         };
//!         EXIT
//!     };
//! }
//! ```
//! and an async loop the same with each iteration an `async` block, started by a
//! `future::Driver` in the user's own function, so that the loop's future is `Send` exactly when
//! the sequential loop's would be. EXIT, by where the loop's exit goes:
//! - out of the function: `if let Some(v) = Fallible::exit(outcome) { return v; }`, which ties
//!   the iterations' type to the function's return type (`Result<T, E>` gives
//!   `Result<ControlFlow<T>, E>`), so `?` converts errors with `From` as in the sequential loop;
//!   or, with no `?` in the loop, `if let ControlFlow::Break(v) = outcome { return v; }`, so any
//!   return type works with `return`;
//! - into the parallel loop around it: `if let Some(o) = Flow::stop(outcome) { return o; }`.
//!
//! Generated tokens are hygienic (`Span::mixed_site`) but located at the user's `for`: errors
//! about them point at the loop, and lints see macro code, not the user's.

use crate::args::{Options, Workers};
use crate::model::{Exit, Flavor, Kind, ParallelLoop};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Expr, ExprReturn, Ident, Pat};

/// The path of the runtime's items for the macro, for a loop with these `options`.
pub(crate) fn private(options: &Options, span: Span) -> TokenStream {
    let span = hygienic(span);
    match &options.krate {
        Some(krate) => quote_spanned!(span=> #krate::__private),
        None => quote_spanned!(span=> ::failfast::__private),
    }
}

fn hygienic(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// `continue` of the parallel loop: the iteration is done.
pub(crate) fn end_iteration(private: &TokenStream, span: Span) -> Expr {
    let at = hygienic(span);
    let keyword = quote_spanned!(span=> return);
    parse(quote_spanned!(at=> #keyword #private::Flow::success()))
}

/// `return value` in the body: the loop's exit, with the function's value.
pub(crate) fn early_return(private: &TokenStream, ret: &ExprReturn) -> Expr {
    let ExprReturn {
        attrs,
        return_token,
        expr,
    } = ret;
    let value = match expr {
        Some(value) => quote!(#value),
        None => quote_spanned!(hygienic(return_token.span)=> ()),
    };
    let at = hygienic(return_token.span);
    parse(quote_spanned!(at=> #(#attrs)* #return_token #private::Flow::from_exit(#value)))
}

pub(crate) fn parallel_loop(described: ParallelLoop) -> Expr {
    let ParallelLoop {
        options,
        attrs,
        span,
        pat,
        input,
        body,
        kind,
        exit,
        flavor,
        ..
    } = described;
    let at = hygienic(span);
    let private = private(&options, span);
    let workers = match &options.workers {
        Some(Workers::Literal(literal)) => quote!(#literal),
        Some(Workers::Expr(expr)) => quote!(#expr),
        None => quote_spanned!(at=> #private::default_workers()),
    };
    let outcome = Ident::new("__failfast_outcome", at);
    let exit = match (exit, flavor) {
        (Exit::ParallelLoop, _) => quote_spanned! {at=>
            if let ::core::option::Option::Some(#outcome) = #private::Flow::stop(#outcome) {
                return #outcome;
            }
        },
        (_, Flavor::Fallible) => quote_spanned! {at=>
            if let ::core::option::Option::Some(#outcome) = #private::Fallible::exit(#outcome) {
                return #outcome;
            }
        },
        (_, Flavor::Returns) => quote_spanned! {at=>
            if let ::core::ops::ControlFlow::Break(#outcome) = #outcome {
                return #outcome;
            }
        },
    };
    let run = match kind {
        Kind::Thread => {
            // A closure parameter cannot be an or-pattern without parentheses; any other
            // pattern is kept as written, so that no `unused_parens` lint points at it.
            let pat = match pat {
                Pat::Or(or) => quote!((#or)),
                pat => quote!(#pat),
            };
            // The input's type picks the engine's path (see `failfast_runtime::rewrite::Probe`):
            // split by index, pulled by every worker, or pulled by the calling thread.
            // `SITE` is this loop's identity: a recursion that reaches it again shares its limit.
            // Named at the input, so that rustc's error for items that are not `Send` points
            // at the user's input, not at `for`.
            let input_var = Ident::new(
                "__failfast_input",
                hygienic(syn::spanned::Spanned::span(&input)),
            );
            let site = Ident::new("__FAILFAST_SITE", at);
            quote_spanned! {at=>
                match #input {
                    #input_var => {
                        #[allow(unused_imports)]
                        use #private::{PickCaller as _, PickIndex as _, PickShared as _};
                        static #site: #private::LoopSite = #private::LoopSite::new();
                        (&&&#private::probe(&#input_var))
                            .__failfast_path()
                            .thread_loop(#input_var, #workers, &#site, |#pat| {
                                if #private::always() #body
                                #private::Flow::success()
                            })
                    }
                }
            }
        }
        Kind::Async => {
            let driver = Ident::new("__failfast_driver", at);
            let item = Ident::new("__failfast_item", at);
            let ended = Ident::new("__failfast_ended", at);
            quote_spanned! {at=>
                {
                    let mut #driver = #private::future::Driver::new(#input, #workers);
                    loop {
                        if let ::core::option::Option::Some(#item) = #driver.next_item() {
                            #driver.start(async {
                                let #pat = #item.take();
                                if #private::always() #body
                                #private::Flow::success()
                            });
                        }
                        let #ended = #driver.wait().await;
                        if let ::core::option::Option::Some(#ended) = #ended {
                            break #private::future::Driver::outcome(&#driver, #ended);
                        }
                    }
                }
            }
        }
    };
    parse(quote_spanned! {at=>
        {
            #(#attrs)*
            let () = {
                let #outcome = #run;
                #exit
            };
        }
    })
}

fn parse(tokens: TokenStream) -> Expr {
    syn::parse2(tokens).expect("the rewrite of a valid loop parses")
}
