//! The `#[fail_fast]` attribute. Use it through the [`failfast`](https://docs.rs/failfast)
//! crate, which documents it; this crate is an implementation detail.
//!
//! Phases, one module each, each using only the ones before it: `args` parses the options,
//! `grouping` parenthesizes what `macro_rules!` fragments group invisibly, `macro_args`
//! opens the macro calls whose arguments hold a marked loop, `find` decides which loops run
//! in parallel, `model` walks the function once and describes each parallel
//! loop (its kind, where its exit goes, its body with its own jumps resolved, what `captures`
//! finds of its input's closures and of what its body shares), `check` (with `races`)
//! reports every misuse from that description and generates nothing, `expand` drives the
//! others and writes the code (`lints` adjusts the user's lint expectations to it).

mod args;
mod captures;
mod changes;
mod check;
mod errors;
mod expand;
mod find;
mod grouping;
mod kept;
mod lints;
mod macro_args;
mod model;
mod races;
#[cfg(test)]
mod snapshots;

/// Runs a `for` loop's iterations in parallel and stops at the first failure.
///
/// See the `failfast` crate for the full documentation.
#[proc_macro_attribute]
pub fn fail_fast(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::fail_fast(args.into(), input.into()).into()
}
