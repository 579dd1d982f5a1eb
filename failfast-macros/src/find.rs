//! Which loops run in parallel: the ones marked `#[fail_fast]`, or else the function's one
//! outermost `for` loop.

use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Block, Expr, ExprForLoop, Item};

/// Whether `attr` is a `#[fail_fast]` marker (also `#[failfast::fail_fast]` and the like).
pub(crate) fn is_marker(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "fail_fast")
}

/// Whether any loop (or anything else) in `block` carries a marker.
pub(crate) fn has_markers(block: &Block) -> bool {
    struct AnyMarker(bool);
    impl Visit<'_> for AnyMarker {
        fn visit_attribute(&mut self, attr: &Attribute) {
            self.0 |= is_marker(attr);
        }
        // A nested item is expanded on its own.
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut any = AnyMarker(false);
    any.visit_block(block);
    any.0
}

/// Where the unmarked candidates are, when there is not exactly one.
pub(crate) enum NotOne {
    None,
    Several(Vec<Span>),
}

/// Marks the function's one outermost `for` loop, or says why it cannot.
///
/// Outermost: not inside another loop, a closure, an async block or a nested item; loops
/// inside `if`, `match` or plain blocks count.
pub(crate) fn mark_the_outermost_loop(block: &mut Block) -> Result<(), NotOne> {
    struct Outermost {
        found: Vec<Span>,
        mark: bool,
    }
    impl VisitMut for Outermost {
        fn visit_expr_for_loop_mut(&mut self, for_loop: &mut ExprForLoop) {
            self.found.push(for_loop.for_token.span);
            if self.mark {
                for_loop.attrs.push(syn::parse_quote!(#[fail_fast]));
            }
            // The input expression is evaluated outside the loop: a loop in it is outermost too.
            self.visit_expr_mut(&mut for_loop.expr);
        }
        // Loops inside these are not outermost.
        fn visit_expr_while_mut(&mut self, _: &mut syn::ExprWhile) {}
        fn visit_expr_loop_mut(&mut self, _: &mut syn::ExprLoop) {}
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
        fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
        fn visit_item_mut(&mut self, _: &mut Item) {}
    }
    let mut count = Outermost {
        found: Vec::new(),
        mark: false,
    };
    count.visit_block_mut(block);
    match count.found.len() {
        0 => Err(NotOne::None),
        1 => {
            Outermost {
                found: Vec::new(),
                mark: true,
            }
            .visit_block_mut(block);
            Ok(())
        }
        _ => Err(NotOne::Several(count.found)),
    }
}

/// Where a parallel loop's first failure goes: out of the function, or out of the closure or
/// async block the loop is in.
#[derive(Clone, Copy)]
pub(crate) enum Exit<'a> {
    Function,
    Closure(&'a syn::ReturnType),
    AsyncBlock,
}

/// Something marked `#[fail_fast]` inside a function.
pub(crate) enum Marked<'a> {
    Loop {
        for_loop: &'a ExprForLoop,
        marker: &'a Attribute,
        exit: Exit<'a>,
    },
    /// A marker on something that is not a `for` loop.
    Misplaced {
        marker: &'a Attribute,
        what: &'static str,
    },
}

/// Every marker in `block`, with the context of each marked loop. Nested marked loops are
/// found too: each is checked and rewritten on its own.
pub(crate) fn marked(block: &Block) -> Vec<Marked<'_>> {
    struct Finder<'a> {
        exit: Exit<'a>,
        found: Vec<Marked<'a>>,
    }
    impl<'a> Visit<'a> for Finder<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            let attrs = expr_attrs(expr);
            if let Expr::ForLoop(for_loop) = expr {
                let mut markers = attrs.iter().filter(|attr| is_marker(attr));
                if let Some(marker) = markers.next() {
                    self.found.push(Marked::Loop {
                        for_loop,
                        marker,
                        exit: self.exit,
                    });
                }
                for marker in markers {
                    self.found.push(Marked::Misplaced {
                        marker,
                        what: "a second `#[fail_fast]`",
                    });
                }
            } else {
                for marker in attrs.iter().filter(|attr| is_marker(attr)) {
                    self.found.push(Marked::Misplaced {
                        marker,
                        what: describe(expr),
                    });
                }
            }
            match expr {
                Expr::Closure(closure) => {
                    let outer = std::mem::replace(&mut self.exit, Exit::Closure(&closure.output));
                    visit::visit_expr_closure(self, closure);
                    self.exit = outer;
                }
                Expr::Async(block) => {
                    let outer = std::mem::replace(&mut self.exit, Exit::AsyncBlock);
                    visit::visit_expr_async(self, block);
                    self.exit = outer;
                }
                _ => visit::visit_expr(self, expr),
            }
        }
        fn visit_local(&mut self, local: &'a syn::Local) {
            for marker in local.attrs.iter().filter(|attr| is_marker(attr)) {
                self.found.push(Marked::Misplaced {
                    marker,
                    what: "a `let` statement",
                });
            }
            visit::visit_local(self, local);
        }
        // A nested item is expanded on its own, with its own attribute.
        fn visit_item(&mut self, _: &'a Item) {}
    }
    let mut finder = Finder {
        exit: Exit::Function,
        found: Vec::new(),
    };
    finder.visit_block(block);
    finder.found
}

/// What an expression is, in an error message.
pub(crate) fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::While(_) => "a `while` loop",
        Expr::Loop(_) => "a `loop`",
        Expr::ForLoop(_) => "a `for` loop",
        Expr::Closure(_) => "a closure",
        Expr::Async(_) => "an async block",
        Expr::Block(_) => "a block",
        Expr::If(_) => "an `if`",
        Expr::Match(_) => "a `match`",
        Expr::Call(_) | Expr::MethodCall(_) => "a call",
        _ => "an expression",
    }
}

/// The outer attributes of an expression, borrowed as `&` or `&mut`.
macro_rules! attrs_of {
    ($expr:expr, $($borrow:tt)+) => {
        match $expr {
            Expr::Array(e) => Some($($borrow)+ e.attrs),
            Expr::Assign(e) => Some($($borrow)+ e.attrs),
            Expr::Async(e) => Some($($borrow)+ e.attrs),
            Expr::Await(e) => Some($($borrow)+ e.attrs),
            Expr::Binary(e) => Some($($borrow)+ e.attrs),
            Expr::Block(e) => Some($($borrow)+ e.attrs),
            Expr::Break(e) => Some($($borrow)+ e.attrs),
            Expr::Call(e) => Some($($borrow)+ e.attrs),
            Expr::Cast(e) => Some($($borrow)+ e.attrs),
            Expr::Closure(e) => Some($($borrow)+ e.attrs),
            Expr::Const(e) => Some($($borrow)+ e.attrs),
            Expr::Continue(e) => Some($($borrow)+ e.attrs),
            Expr::Field(e) => Some($($borrow)+ e.attrs),
            Expr::ForLoop(e) => Some($($borrow)+ e.attrs),
            Expr::Group(e) => Some($($borrow)+ e.attrs),
            Expr::If(e) => Some($($borrow)+ e.attrs),
            Expr::Index(e) => Some($($borrow)+ e.attrs),
            Expr::Let(e) => Some($($borrow)+ e.attrs),
            Expr::Lit(e) => Some($($borrow)+ e.attrs),
            Expr::Loop(e) => Some($($borrow)+ e.attrs),
            Expr::Macro(e) => Some($($borrow)+ e.attrs),
            Expr::Match(e) => Some($($borrow)+ e.attrs),
            Expr::MethodCall(e) => Some($($borrow)+ e.attrs),
            Expr::Paren(e) => Some($($borrow)+ e.attrs),
            Expr::Path(e) => Some($($borrow)+ e.attrs),
            Expr::Range(e) => Some($($borrow)+ e.attrs),
            Expr::Reference(e) => Some($($borrow)+ e.attrs),
            Expr::Repeat(e) => Some($($borrow)+ e.attrs),
            Expr::Return(e) => Some($($borrow)+ e.attrs),
            Expr::Struct(e) => Some($($borrow)+ e.attrs),
            Expr::Try(e) => Some($($borrow)+ e.attrs),
            Expr::TryBlock(e) => Some($($borrow)+ e.attrs),
            Expr::Tuple(e) => Some($($borrow)+ e.attrs),
            Expr::Unary(e) => Some($($borrow)+ e.attrs),
            Expr::Unsafe(e) => Some($($borrow)+ e.attrs),
            Expr::While(e) => Some($($borrow)+ e.attrs),
            Expr::Yield(e) => Some($($borrow)+ e.attrs),
            _ => None,
        }
    };
}

/// The outer attributes of an expression.
pub(crate) fn expr_attrs(expr: &Expr) -> &[Attribute] {
    attrs_of!(expr, &).map_or(&[], Vec::as_slice)
}

fn expr_attrs_mut(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    attrs_of!(expr, &mut)
}

/// Removes every marker from `block` (outside nested items): what is left of a function that
/// failed to expand must not carry markers for rustc to reject as "attributes on expressions
/// are experimental".
pub(crate) fn strip_markers(block: &mut Block) {
    struct Strip;
    impl VisitMut for Strip {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Some(attrs) = expr_attrs_mut(expr) {
                attrs.retain(|attr| !is_marker(attr));
            }
            visit_mut::visit_expr_mut(self, expr);
        }
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            local.attrs.retain(|attr| !is_marker(attr));
            visit_mut::visit_local_mut(self, local);
        }
        fn visit_item_mut(&mut self, _: &mut Item) {}
    }
    Strip.visit_block_mut(block);
}
