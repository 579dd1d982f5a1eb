//! The `#[fail_fast]` attribute. Use it through the [`failfast`](https://docs.rs/failfast)
//! crate, which documents it; this crate is an implementation detail.
//!
//! Phases, one module each: `args` parses the options, `find` decides which loops run in
//! parallel, `check` reports every misuse (and generates nothing), `expand` rewrites the
//! loops onto `failfast`'s runtime (and assumes valid input).

mod args;
mod check;
mod errors;
mod expand;
mod find;

use args::Options;
use errors::Errors;
use find::NotOne;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Expr, ExprForLoop, Item, ItemFn};

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
        (Ok(item), _) => describe_item(&item),
        (_, Ok(expr)) => find::describe(&expr),
        _ => "this",
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
    let name = function.sig.ident.clone();
    if !find::has_markers(&function.block) {
        match find::mark_the_outermost_loop(&mut function.block) {
            Ok(()) => {}
            Err(NotOne::None) => errors.error(
                &name,
                format!(
                    "`{name}` has no `for` loop to run in parallel\n\
                     help: `#[fail_fast]` rewrites the function's outermost `for` loop: put it on the function that contains the loop"
                ),
            ),
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
    let signature_ok = check::markers(&function.block, Some(&function.sig), &mut errors);
    if !errors.is_empty() {
        find::strip_markers(&mut function.block);
        if signature_ok == Some(false) {
            // The body's `?` would only add errors about the same return type.
            function.block = syn::parse_quote!({ loop {} });
            function
                .attrs
                .push(syn::parse_quote!(#[allow(unused_variables)]));
        }
        return with_errors(errors, function.into_token_stream());
    }
    expand::marked_loops(&mut function.block, defaults);
    function.into_token_stream()
}

/// `#[fail_fast]` directly on a `for` loop (nightly, with `stmt_expr_attributes` and
/// `proc_macro_hygiene`).
fn loop_form(for_loop: ExprForLoop, options: &Options, mut errors: Errors) -> TokenStream {
    check::loop_body(&for_loop, false, &mut errors);
    check::markers(&for_loop.body, None, &mut errors);
    if !errors.is_empty() {
        let mut for_loop = for_loop;
        find::strip_markers(&mut for_loop.body);
        return with_errors(errors, for_loop.into_token_stream());
    }
    expand::loop_and_marked_inside(for_loop, options).into_token_stream()
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
        assert_eq!(checked, 4, "every snapshot was checked");
    }
}
