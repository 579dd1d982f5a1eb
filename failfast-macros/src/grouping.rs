//! Invisible groups. A `macro_rules!` fragment (`$e:expr`, `$t:ty`) reaches the attribute
//! as a group without delimiters, which keeps its value whole: `$e * 2` with `$e = 1 + 1` is
//! 4. Written out again through syn, such a group is ignored by rustc (rust-lang/rust#67062),
//! and the function would compute `1 + 1 * 2`, 3, or fail to compile (`$e.rev()` with
//! `$e = 0..n`). So before anything reads the function, each such group that an operator,
//! a method call or a `&` applies to, and whose value is not a single term, becomes
//! parentheses, which say the same thing to rustc.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Type};

/// Gives the invisible groups of `function` that need it parentheses (see the module docs).
pub(crate) fn parenthesize(function: &mut syn::ItemFn) {
    Parenthesize.visit_item_fn_mut(function);
}

/// [`parenthesize`], for a loop alone (the loop form).
pub(crate) fn parenthesize_loop(expr: &mut Expr) {
    Parenthesize.visit_expr_mut(expr);
}

struct Parenthesize;

impl VisitMut for Parenthesize {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Binary(binary) => {
                in_parentheses(&mut binary.left);
                in_parentheses(&mut binary.right);
            }
            Expr::Unary(unary) => in_parentheses(&mut unary.expr),
            Expr::Cast(cast) => in_parentheses(&mut cast.expr),
            Expr::MethodCall(call) => in_parentheses(&mut call.receiver),
            Expr::Field(field) => in_parentheses(&mut field.base),
            Expr::Index(index) => in_parentheses(&mut index.expr),
            Expr::Try(tried) => in_parentheses(&mut tried.expr),
            Expr::Await(awaited) => in_parentheses(&mut awaited.base),
            Expr::Call(call) => in_parentheses(&mut call.func),
            Expr::Reference(reference) => in_parentheses(&mut reference.expr),
            Expr::Range(range) => {
                for end in [&mut range.start, &mut range.end].into_iter().flatten() {
                    in_parentheses(end);
                }
            }
            _ => {}
        }
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        visit_mut::visit_type_mut(self, ty);
        let elem = match ty {
            Type::Reference(reference) => &mut reference.elem,
            Type::Ptr(pointer) => &mut pointer.elem,
            _ => return,
        };
        // `&$t` with `$t = dyn Fn() + Send`: `&dyn Fn() + Send` would not parse.
        if let Type::Group(group) = &mut **elem {
            let bounds = match &*group.elem {
                Type::TraitObject(object) => object.bounds.len(),
                Type::ImplTrait(opaque) => opaque.bounds.len(),
                _ => 0,
            };
            if bounds > 1 {
                let paren_token = syn::token::Paren(group.group_token.span);
                let inner = std::mem::replace(&mut *group.elem, Type::Verbatim(Default::default()));
                **elem = Type::Paren(syn::TypeParen {
                    paren_token,
                    elem: Box::new(inner),
                });
            }
        }
    }
}

/// `expr` in parentheses if it is an invisible group around more than a single term.
fn in_parentheses(expr: &mut Expr) {
    let Expr::Group(group) = expr else {
        return;
    };
    let single_term = matches!(
        &*group.expr,
        Expr::Lit(_)
            | Expr::Path(_)
            | Expr::Paren(_)
            | Expr::Tuple(_)
            | Expr::Array(_)
            | Expr::Call(_)
            | Expr::MethodCall(_)
            | Expr::Field(_)
            | Expr::Index(_)
            | Expr::Macro(_)
            | Expr::Struct(_)
            | Expr::Repeat(_)
    );
    if single_term {
        return;
    }
    let paren_token = syn::token::Paren(group.group_token.span);
    let attrs = std::mem::take(&mut group.attrs);
    let inner = std::mem::replace(&mut *group.expr, Expr::Verbatim(Default::default()));
    *expr = Expr::Paren(syn::ExprParen {
        attrs,
        paren_token,
        expr: Box::new(inner),
    });
}

#[cfg(test)]
mod tests {
    use super::parenthesize;
    use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
    use quote::{quote, ToTokens};

    /// `tokens` with `inner` as an invisible group where `$` is.
    fn with_group(before: TokenStream, inner: TokenStream, after: TokenStream) -> TokenStream {
        let group = TokenTree::Group(Group::new(Delimiter::None, inner));
        quote!(#before #group #after)
    }

    #[test]
    fn a_group_an_operator_applies_to_becomes_parentheses() {
        let body = with_group(quote!(let k =), quote!(1 + 1), quote!(* 2;));
        let mut function: syn::ItemFn = syn::parse2(quote!(fn f() { #body })).unwrap();
        parenthesize(&mut function);
        let written = function.to_token_stream().to_string();
        assert!(written.contains("(1 + 1) * 2"), "{written}");
    }

    #[test]
    fn a_single_term_or_a_whole_value_stays_as_it_is() {
        for (before, inner, after) in [
            (quote!(let k =), quote!(limit), quote!(* 2;)),
            (quote!(let k =), quote!(1 + 1), quote!(;)),
        ] {
            let body = with_group(before, inner, after);
            let mut function: syn::ItemFn = syn::parse2(quote!(fn f() { #body })).unwrap();
            parenthesize(&mut function);
            let written = function.to_token_stream().to_string();
            assert!(
                !written.contains("(limit)") && !written.contains("(1 + 1)"),
                "{written}"
            );
        }
    }
}
