//! Misuse of a parallel loop, reported from its [`ParallelLoop`] description. Never generates
//! code. Data races have a walk of their own, in `races`.

use crate::args::Options;
use crate::errors::Errors;
use crate::model::{Exit, Kind, ParallelLoop};
use crate::races;
use std::collections::{HashMap, HashSet};
use syn::{Attribute, GenericArgument, PathArguments, ReturnType, Signature, Type};

const STOP_INSTEAD: &str = "help: to end the whole loop, `return` from the function (the first `return` wins and cancels the rest), fail with `Err(..)?`, or skip the rest of this iteration with `continue`";

/// A marker on something that is not a `for` or `while let` loop.
pub(crate) fn misplaced(marker: &Attribute, what: &str, errors: &mut Errors) {
    errors.error(
        marker,
        format!(
            "`#[fail_fast]` only goes on `for` and `while let` loops, not on {what}: only their iterations can be split among threads, each with its own item\n\
             help: write it as a `for` loop over an iterator, or a `while let` loop over a \"next\" call (`while let Some(job) = queue.next()`), or remove this `#[fail_fast]`"
        ),
    );
}

/// What `check` knows of the function around the loops.
pub(crate) struct Function<'a> {
    /// `None` in the nightly loop form, which cannot see it.
    pub(crate) signature: Option<&'a Signature>,
    /// Variables that hold a lock's or a cell's guard (see `races::guards`).
    pub(crate) guards: HashSet<String>,
    /// Variables that only an `FnMut` call can call (see `races::fn_mut_callables`).
    pub(crate) fn_muts: HashMap<String, races::Callable>,
    /// Whether the signature was checked already (it is checked once, for the first loop that
    /// leaves through it).
    pub(crate) signature_checked: bool,
}

/// Checks one parallel loop: its marker's options, data races, its jumps, its `.await`s, its
/// options for its kind, and where its exit goes. Returns `false` if the function's body would
/// not compile with the markers removed (rustc would then repeat the same errors in its own
/// words): its signature cannot take the loop's exit, or it awaits outside async code.
pub(crate) fn parallel_loop(
    described: &ParallelLoop,
    function: &mut Function<'_>,
    errors: &mut Errors,
) -> bool {
    Options::check_marker(&described.marker, errors);
    races::check(described, &function.guards, &function.fn_muts, errors);
    let signature = match described.exit {
        Exit::Function if !std::mem::replace(&mut function.signature_checked, true) => {
            function.signature
        }
        _ => None,
    };
    let tries = described.tries;
    for jump in &described.bad_jumps {
        let written = match &jump.label {
            Some(label) => format!("`{} {label}`", jump.keyword),
            None => format!("`{}`", jump.keyword),
        };
        if jump.targets_parallel_loop {
            errors.error_at(
                jump.span,
                format!("{written} cannot leave a parallel loop: items before it may not have started and items after it may be running, so there is no rest of the loop to skip\n{STOP_INSTEAD}"),
            );
        } else {
            errors.error_at(
                jump.span,
                format!(
                    "{written} cannot reach a loop outside the parallel loop: iterations run at the same time and cannot steer it\n\
                     help: `return` from the function, or fail the iteration with `Err(..)?` and handle the error after the loop"
                ),
            );
        }
    }
    let mut body_compiles = true;
    if !described.in_async {
        body_compiles = described.awaits.is_empty();
        // The closure that holds the loop, if one does: making the function `async` would not
        // make the closure's code async. A loop nested in a parallel loop leaves its `.await`s
        // to that loop's error, which holds them too and knows what holds it.
        let make_async = match described.exit {
            Exit::Closure { .. } => {
                "make the closure that holds the loop `async` (`async |..| { .. }`), or write the loop in an `async` block"
            }
            _ => "make the function `async`",
        };
        let reported = match described.exit {
            Exit::ParallelLoop => &[][..],
            _ => &described.awaits[..],
        };
        for &at in reported {
            errors.error_at(
                at,
                format!(
                    "`.await` cannot run in this parallel loop: it is not in async code, so its iterations run on worker threads\n\
                     help: {make_async}: a parallel loop that awaits in async code runs its iterations as futures on the awaiting task"
                ),
            );
        }
    }
    if let (Kind::Async, Some((name, _))) = (described.kind, &described.options.limit) {
        errors.error(
            name,
            format!(
                "`{name}` cannot stop an async loop: an async loop stops when its future is dropped\n\
                 help: wrap the call in the executor's timeout, which drops the loop (`tokio::time::timeout(d, f(..)).await`), or stop a `StopToken` given as `stop = &token` from a timer task"
            ),
        );
    }
    if described.kind == Kind::Async
        && described.options.workers.is_none()
        && !described.options.workers_refused
    {
        errors.error(
            &described.marker,
            "an async loop needs `workers`: how many iterations may wait at once (there is no natural default for I/O)\n\
             help: write `#[fail_fast(workers = 50)]`, or any `usize` expression",
        );
    }
    // A loop whose iterations cannot end it sends nothing back (see `ParallelLoop::may_exit`).
    let threads = described.kind == Kind::Thread && described.may_exit;
    body_compiles
        & match (&described.exit, signature) {
            (Exit::Function, Some(sig)) => {
                let name = format!("`{}`", sig.ident);
                exit_type(&sig.output, &name, &sig.ident, tries, threads, errors)
            }
            // rustc infers the closure's return type from its tail, and says so if it is not
            // one that the loop's exit can leave through.
            (
                Exit::Closure {
                    output: ReturnType::Default,
                    tail: true,
                },
                _,
            ) => true,
            (Exit::Closure { output, .. }, _) => {
                exit_type(output, "this closure", output, tries, threads, errors)
            }
            _ => true,
        }
}

/// Checks the written return type that a loop's exit leaves through. `at` is where an error
/// about a missing return type goes.
fn exit_type(
    output: &ReturnType,
    owner: &str,
    at: &dyn quote::ToTokens,
    tries: bool,
    threads: bool,
    errors: &mut Errors,
) -> bool {
    let ty = match output {
        ReturnType::Default if tries => {
            errors.error(
                at,
                format!(
                    "{owner} returns `()`, so the `?` in its parallel loop has nowhere to send a failure\n\
                     help: return `Result<(), E>` or `Option<()>` from {owner}, and end it with `Ok(())` or `Some(())`"
                ),
            );
            return false;
        }
        ReturnType::Default => return true,
        ReturnType::Type(_, ty) => ty,
    };
    if tries && cannot_fail(ty) {
        errors.error(
            ty,
            format!(
                "{owner} returns `{}`, so the `?` in its parallel loop has nowhere to send a failure\n\
                 help: return `Result<_, E>` or `Option<_>`: the loop's first failure leaves the way `?` would",
                tidy(quote::quote!(#ty).to_string())
            ),
        );
        return false;
    }
    if threads {
        if let Some(boxed) = unsendable_boxed_error(ty) {
            errors.error(
                boxed,
                "the parallel loop's errors cross threads, but `Box<dyn Error>` cannot be sent between threads\n\
                 help: return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same",
            );
        }
    }
    true
}

/// Whether `ty` is, by its written name, a type that is neither `Result` nor `Option`. Other
/// names may be aliases of `Result`: the type checker decides for them.
fn cannot_fail(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            crate::captures::SCALARS.contains(&last.as_str())
                || matches!(last.as_str(), "str" | "String" | "Vec" | "Box" | "HashMap")
        }
        Type::Tuple(_)
        | Type::Reference(_)
        | Type::Array(_)
        | Type::Slice(_)
        | Type::Never(_)
        | Type::ImplTrait(_)
        | Type::TraitObject(_)
        | Type::Ptr(_)
        | Type::BareFn(_) => true,
        _ => false,
    }
}

/// The `Box<dyn Error>` in `Result<_, Box<dyn Error>>` when it is not `Send`.
fn unsendable_boxed_error(ty: &Type) -> Option<&Type> {
    let error = generic_args(ty, "Result")?.nth(1)?;
    let boxed = generic_args(error, "Box")?.next()?;
    let Type::TraitObject(object) = boxed else {
        return None;
    };
    let bound_named = |name: &str| {
        object.bounds.iter().any(|bound| match bound {
            syn::TypeParamBound::Trait(t) => {
                t.path.segments.last().is_some_and(|s| s.ident == name)
            }
            _ => false,
        })
    };
    (bound_named("Error") && !bound_named("Send")).then_some(error)
}

/// The type arguments of `ty` if it is a path ending in `name<..>`.
fn generic_args<'t>(ty: &'t Type, name: &str) -> Option<impl Iterator<Item = &'t Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    Some(args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    }))
}

/// Types as a user writes them: `Vec<u8>`, not `Vec < u8 >`.
fn tidy(written: String) -> String {
    written
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}
