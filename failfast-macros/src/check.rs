//! Misuse of a parallel loop, found before anything is rewritten. Never generates code.

use crate::args::Options;
use crate::errors::Errors;
use crate::find::{self, is_marker, Exit, Marked};
use std::collections::HashSet;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprForLoop, Ident, Item, Lifetime, Pat, ReturnType, Signature, Type};

const STOP_INSTEAD: &str = "help: to stop the whole loop, fail with `Err(..)?` (or `None?`); to skip the rest of this iteration, use `continue`";

/// Checks every marker in `block`: each marked loop's options, body and exit, and markers on
/// anything but a `for` loop. `signature` is the function's, when the attribute is on one.
/// Returns whether the signature can take a failure (as far as the syntax tells), if a loop
/// leaves through it.
pub(crate) fn markers(
    block: &Block,
    signature: Option<&Signature>,
    errors: &mut Errors,
) -> Option<bool> {
    let in_async_fn = signature.is_some_and(|sig| sig.asyncness.is_some());
    let mut signature_ok = None;
    for marked in find::marked(block) {
        match marked {
            Marked::Loop { for_loop, marker, exit } => {
                Options::check_marker(marker, errors);
                let exits_function = matches!(exit, Exit::Function);
                loop_body(for_loop, in_async_fn && exits_function, errors);
                match signature {
                    // Checked once, for the first loop that leaves through the function.
                    Some(sig) if exits_function => {
                        signature_ok.get_or_insert_with(|| self::signature(sig, errors));
                    }
                    _ => closure_exit(exit, errors),
                }
            }
            Marked::Misplaced { marker, what } => errors.error(
                marker,
                format!(
                    "`#[fail_fast]` only goes on `for` loops, not on {what}: only a `for` loop's iterations can be split among threads\n\
                     help: write it as a `for` loop over an iterator, or remove this `#[fail_fast]`"
                ),
            ),
        }
    }
    signature_ok
}

/// Checks the body of one parallel loop.
pub(crate) fn loop_body(for_loop: &ExprForLoop, in_async_fn: bool, errors: &mut Errors) {
    let mut declared = HashSet::new();
    Bindings(&mut declared).visit_pat(&for_loop.pat);
    Bindings(&mut declared).visit_block(&for_loop.body);
    let mut checker = BodyChecker {
        parallel_label: for_loop.label.as_ref().map(|label| &label.name.ident),
        labels: Vec::new(),
        nested_loops: 0,
        in_closure: false,
        in_async_fn,
        declared: &declared,
        errors,
    };
    checker.visit_block(&for_loop.body);
}

/// Checks that the function's return type can take the first failure of a loop directly in
/// its body: `Result` or `Option`. Returns whether it can (as far as the syntax tells).
pub(crate) fn signature(sig: &Signature, errors: &mut Errors) -> bool {
    let name = &sig.ident;
    match &sig.output {
        ReturnType::Default => {
            errors.error(
                name,
                format!(
                    "`{name}` returns `()`, so the parallel loop's first failure has nowhere to go\n\
                     help: return `Result<(), E>` or `Option<()>` from `{name}`, and end it with `Ok(())` or `Some(())`"
                ),
            );
            false
        }
        ReturnType::Type(_, ty) => return_type(ty, &format!("`{name}`"), errors),
    }
}

/// Checks the written return type of a closure holding a marked loop. Without a written type
/// the closure's (or an async block's) return type is inferred, and a wrong one is a type
/// error at the loop.
pub(crate) fn closure_exit(exit: Exit, errors: &mut Errors) {
    if let Exit::Closure(ReturnType::Type(_, ty)) = exit {
        return_type(ty, "this closure", errors);
    }
}

fn return_type(ty: &Type, owner: &str, errors: &mut Errors) -> bool {
    let fails = match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            // Aliases such as `io::Result<T>` end in `Result`. Other names may be aliases
            // of `Result` too: the type checker decides for them.
            matches!(
                last.as_str(),
                "bool"
                    | "char"
                    | "str"
                    | "String"
                    | "Vec"
                    | "Box"
                    | "HashMap"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "f32"
                    | "f64"
            )
        }
        Type::Tuple(_) | Type::Reference(_) | Type::Array(_) | Type::Slice(_) | Type::Never(_) => {
            true
        }
        Type::ImplTrait(_) | Type::TraitObject(_) | Type::Ptr(_) | Type::BareFn(_) => true,
        _ => false,
    };
    if fails {
        errors.error(
            ty,
            format!(
                "{owner} returns `{}`, so the parallel loop's first failure has nowhere to go\n\
                 help: return `Result<_, E>` or `Option<_>`: the loop's first failure leaves the way `?` would",
                quote::quote!(#ty).to_string().replace(" < ", "<").replace(" >", ">").replace(" ,", ",")
            ),
        );
    }
    !fails
}

/// Collects the names bound anywhere in a loop body: assigning to them is the iteration's own
/// business.
struct Bindings<'a>(&'a mut HashSet<String>);

impl Visit<'_> for Bindings<'_> {
    fn visit_pat(&mut self, pat: &Pat) {
        if let Pat::Ident(binding) = pat {
            self.0.insert(binding.ident.to_string());
        }
        visit::visit_pat(self, pat);
    }
    // A nested item cannot see the body's locals.
    fn visit_item(&mut self, _: &Item) {}
}

struct BodyChecker<'a> {
    /// `'label` of the parallel loop: `continue 'label` ends an iteration.
    parallel_label: Option<&'a Ident>,
    /// Labels of the loops and blocks inside the body that enclose the current expression.
    labels: Vec<&'a Ident>,
    /// How many loops inside the body enclose the current expression: an unlabeled `break` or
    /// `continue` in them is theirs.
    nested_loops: usize,
    /// Inside a closure or async block of the body: `return`, `break`, `continue` and `.await`
    /// are theirs, but assignments to outer variables still race.
    in_closure: bool,
    in_async_fn: bool,
    declared: &'a HashSet<String>,
    errors: &'a mut Errors,
}

impl<'a> BodyChecker<'a> {
    fn nested<T>(
        &mut self,
        label: Option<&'a Lifetime>,
        is_loop: bool,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let labels = self.labels.len();
        if let Some(label) = label {
            self.labels.push(&label.ident);
        }
        self.nested_loops += usize::from(is_loop);
        let result = f(self);
        self.nested_loops -= usize::from(is_loop);
        self.labels.truncate(labels);
        result
    }

    /// Whether `label` names a loop or block inside the body.
    fn is_inner(&self, label: &Lifetime) -> bool {
        self.labels.iter().any(|inner| **inner == label.ident)
    }

    fn is_parallel(&self, label: &Lifetime) -> bool {
        self.parallel_label
            .is_some_and(|parallel| *parallel == label.ident)
    }

    fn jump(&mut self, keyword: &str, label: Option<&Lifetime>, span: proc_macro2::Span) {
        let targets_parallel_loop = match label {
            Some(label) if self.is_inner(label) => false,
            Some(label) if self.is_parallel(label) => true,
            Some(label) => {
                self.errors.error_at(
                    span,
                    format!(
                        "`{keyword} {label}` cannot reach a loop outside the parallel loop: iterations run on worker threads and cannot steer it\n\
                         help: fail the iteration with `Err(..)?` and handle the error after the loop"
                    ),
                );
                false
            }
            None => self.nested_loops == 0,
        };
        // `continue` of the parallel loop ends an iteration; `break` has nothing to end.
        if targets_parallel_loop && keyword == "break" {
            let jump =
                label.map_or_else(|| "`break`".to_string(), |label| format!("`break {label}`"));
            self.errors.error_at(
                span,
                format!("{jump} cannot leave a parallel loop: the other iterations may already be running, so there is no rest of the loop to skip\n{STOP_INSTEAD}"),
            );
        }
    }

    fn assigned(&mut self, place: &Expr) {
        match place {
            Expr::Path(path) if path.qself.is_none() => {
                if let Some(name) = path.path.get_ident() {
                    if !self.declared.contains(&name.to_string()) {
                        self.errors.error(
                            name,
                            format!(
                                "cannot assign to `{name}` in a parallel loop: iterations run at the same time on several threads, so this is a data race\n\
                                 help: declare `{name}` inside the loop, or share it as an atomic (`AtomicUsize::fetch_add`) or a `Mutex`, or collect values with `failfast::try_map`"
                            ),
                        );
                    }
                }
            }
            Expr::Field(field) => self.assigned(&field.base),
            Expr::Index(index) => self.assigned(&index.expr),
            Expr::Paren(paren) => self.assigned(&paren.expr),
            Expr::Tuple(tuple) => tuple.elems.iter().for_each(|elem| self.assigned(elem)),
            // Through a pointer (`*r = ..`), a method call or a lock: the borrow checker and
            // `Sync` decide.
            _ => {}
        }
    }
}

impl<'a> Visit<'a> for BodyChecker<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            // A nested parallel loop is checked on its own.
            Expr::ForLoop(inner) if inner.attrs.iter().any(is_marker) => {
                self.visit_expr(&inner.expr);
            }
            Expr::ForLoop(inner) => {
                self.visit_expr(&inner.expr);
                self.nested(inner.label.as_ref().map(|l| &l.name), true, |this| {
                    this.visit_pat(&inner.pat);
                    this.visit_block(&inner.body);
                });
            }
            Expr::While(inner) => {
                self.nested(inner.label.as_ref().map(|l| &l.name), true, |this| {
                    visit::visit_expr_while(this, inner)
                });
            }
            Expr::Loop(inner) => {
                self.nested(inner.label.as_ref().map(|l| &l.name), true, |this| {
                    visit::visit_expr_loop(this, inner)
                });
            }
            Expr::Block(block) if block.label.is_some() => {
                self.nested(block.label.as_ref().map(|l| &l.name), false, |this| {
                    visit::visit_expr_block(this, block)
                });
            }
            // Their `return`, `break`, `continue` and `.await` are their own.
            Expr::Closure(_) | Expr::Async(_) => {
                let outer = std::mem::replace(&mut self.in_closure, true);
                visit::visit_expr(self, expr);
                self.in_closure = outer;
            }
            Expr::Break(jump) if !self.in_closure => {
                self.jump("break", jump.label.as_ref(), jump.break_token.span);
                visit::visit_expr_break(self, jump);
            }
            Expr::Continue(jump) if !self.in_closure => {
                self.jump("continue", jump.label.as_ref(), jump.continue_token.span);
            }
            Expr::Return(ret) if !self.in_closure => {
                self.errors.error_at(
                    ret.return_token.span,
                    format!("`return` in a parallel loop would end one iteration, not the function\n{STOP_INSTEAD}"),
                );
                visit::visit_expr_return(self, ret);
            }
            Expr::Await(awaited) if !self.in_closure => {
                let message = if self.in_async_fn {
                    "`.await` cannot run in a parallel loop: each iteration runs on a worker thread, outside the async function"
                } else {
                    "`.await` cannot run in a parallel loop: each iteration runs on a worker thread"
                };
                self.errors.error(
                    awaited.await_token,
                    format!("{message}\nhelp: call a blocking version inside the loop, or use an async stream (`futures::TryStreamExt::try_for_each_concurrent`)"),
                );
                visit::visit_expr_await(self, awaited);
            }
            Expr::Assign(assign) => {
                self.assigned(&assign.left);
                visit::visit_expr_assign(self, assign);
            }
            Expr::Binary(binary) if is_compound_assignment(&binary.op) => {
                self.assigned(&binary.left);
                visit::visit_expr_binary(self, binary);
            }
            _ => visit::visit_expr(self, expr),
        }
    }

    // A nested item has its own body and its own `return`.
    fn visit_item(&mut self, _: &'a Item) {}
}

fn is_compound_assignment(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}
