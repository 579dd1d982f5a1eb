//! The `#[fail_fast]` attribute. Use it through the [`failfast`](https://docs.rs/failfast)
//! crate, which documents it; this crate is an implementation detail.
//!
//! Phases, one module each: `args` parses the options, `find` decides which loops run in
//! parallel, `model` walks the function once and describes each parallel loop (its kind, where
//! its exit goes, its body with its own jumps resolved), `check` and `races` report every
//! misuse from that description (and generate nothing), `expand` writes the code.

mod args;
mod check;
mod errors;
mod expand;
mod find;
mod model;
mod races;

use args::Options;
use errors::Errors;
use find::NotOne;
use model::Walk;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::visit_mut::VisitMut;
use syn::{Expr, ExprForLoop, FnArg, Item, ItemFn};

/// Runs a `for` loop's iterations in parallel and stops at the first failure.
///
/// See the `failfast` crate for the full documentation.
#[proc_macro_attribute]
pub fn fail_fast(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    fail_fast_impl(args.into(), input.into()).into()
}

fn fail_fast_impl(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = Options::parse(args, &mut errors);
    if let Ok(function) = syn::parse2::<ItemFn>(input.clone()) {
        return function_form(function, &options, errors);
    }
    if let Ok(Expr::ForLoop(for_loop)) = syn::parse2::<Expr>(input.clone()) {
        return loop_form(for_loop, &options, errors);
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
            "`#[fail_fast]` goes on a function or a `for` loop, not on {what}\n\
             help: put it on the function that contains the loop to run in parallel"
        ),
    );
    with_errors(errors, input)
}

/// `#[fail_fast]` on a function: rewrite its marked loops, or its one outermost loop.
fn function_form(mut function: ItemFn, defaults: &Options, mut errors: Errors) -> TokenStream {
    let original = function.clone();
    let name = function.sig.ident.clone();
    if !find::has_markers(&function.block) {
        match find::mark_the_outermost_loop(&mut function.block) {
            Ok(()) => {}
            Err(NotOne::None(hidden)) if hidden.is_empty() => errors.error(
                &name,
                format!(
                    "`{name}` has no `for` loop to run in parallel\n\
                     help: `#[fail_fast]` rewrites the function's outermost `for` loop: put it on the function that contains the loop"
                ),
            ),
            Err(NotOne::None(hidden)) => {
                for (at, inside) in hidden {
                    errors.error_at(
                        at,
                        format!(
                            "this `for` loop is inside {inside}, so `#[fail_fast]` on `{name}` does not pick it: it rewrites the function's outermost `for` loop\n\
                             help: mark it: write `#[fail_fast]` on this `for` loop, inside `{name}`"
                        ),
                    );
                }
            }
            Err(NotOne::Several(loops)) => {
                let count = loops.len();
                for at in loops {
                    errors.error_at(
                        at,
                        format!(
                            "`{name}` has {count} outermost `for` loops: which should run in parallel?\n\
                             help: mark each loop that should run in parallel with `#[fail_fast]`; unmarked loops stay sequential"
                        ),
                    );
                }
            }
        }
    }
    let parameters = function.sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(typed) => Some(&*typed.pat),
        FnArg::Receiver(_) => None,
    });
    let mutable = races::declared_mut(parameters, &function.block);
    let mut block = (*function.block).clone();
    let mut walk = Walk::new(defaults, Some(&function.sig), Some(mutable), &mut errors);
    walk.visit_block_mut(&mut block);
    let body_compiles = walk.body_compiles;
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
        return with_errors(errors, original.into_token_stream());
    }
    *function.block = block;
    function.into_token_stream()
}

/// `#[fail_fast]` directly on a `for` loop (nightly, with `stmt_expr_attributes` and
/// `proc_macro_hygiene`).
fn loop_form(for_loop: ExprForLoop, options: &Options, mut errors: Errors) -> TokenStream {
    let original = for_loop.clone();
    // The variables outside the loop cannot be seen: any of them may be `mut`.
    let mut walk = Walk::new(options, None, None, &mut errors);
    let expanded = walk.parallel_loop(for_loop, syn::parse_quote!(#[fail_fast]));
    if !errors.is_empty() {
        let mut original = original;
        find::strip_markers(&mut original.body);
        return with_errors(errors, original.into_token_stream());
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

/// Expansion snapshots: `snapshots/NAME.rs` is expanded and compared with
/// `snapshots/NAME.expanded.rs`, so that a reviewer sees exactly what the macro writes.
/// `UPDATE_SNAPSHOTS=1 cargo test -p failfast-macros` rewrites them.
#[cfg(test)]
mod snapshots {
    use std::path::Path;

    fn expand(source: &str) -> String {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        for item in &mut file.items {
            let syn::Item::Fn(function) = item else {
                continue;
            };
            let Some(at) = function.attrs.iter().position(crate::find::is_marker) else {
                continue;
            };
            let marker = function.attrs.remove(at);
            let args = match marker.meta {
                syn::Meta::List(list) => list.tokens,
                _ => proc_macro2::TokenStream::new(),
            };
            let expanded = crate::fail_fast_impl(args, quote::quote!(#function));
            *item = syn::parse2(expanded).unwrap();
        }
        prettyplease::unparse(&file)
    }

    #[test]
    fn expansions_match_the_snapshots() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            if name.ends_with(".expanded.rs") || !name.ends_with(".rs") {
                continue;
            }
            let expanded = expand(&std::fs::read_to_string(&path).unwrap());
            let snapshot = path.with_extension("expanded.rs");
            if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
                std::fs::write(&snapshot, &expanded).unwrap();
            }
            let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
            assert_eq!(
                expanded, expected,
                "{name} expands differently from its snapshot"
            );
            checked += 1;
        }
        assert_eq!(checked, 6, "every snapshot was checked");
    }
}
