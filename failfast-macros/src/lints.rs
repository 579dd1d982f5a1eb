//! The user's lint expectations about a rewritten loop's own shape.
//!
//! Lints such as clippy's `needless_range_loop` or `while_let_on_iterator` look at a `for` or
//! `while let` loop as written; the rewrite turns the loop into a call, so they no longer fire
//! on it, and a user's `#[expect(clippy::needless_range_loop)]` (on the function or on the
//! loop) would become rustc's own warning, "this lint expectation is unfulfilled", which the
//! sequential loop does not have. Such lints are moved from `expect` to `allow`, with the
//! attribute's span: lints of the body's code stay expected, and so fire if they do not.
//! Only on the function and on marked loops: an `#[expect]` on an outer scope (an `impl`
//! block, a module, a statement holding a closure with a marked loop) is not the macro's to
//! change, and still warns.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Meta, Token};

/// Lints about a loop's own shape (its head, its pattern, its `continue`), which stop firing
/// once it is rewritten.
const OF_THE_LOOP: &[&str] = &[
    "char_indices_as_byte_indices",
    "explicit_counter_loop",
    "explicit_into_iter_loop",
    "explicit_iter_loop",
    "for_kv_map",
    "for_loops_over_fallibles",
    "iter_next_loop",
    "manual_find",
    "manual_flatten",
    "manual_memcpy",
    "manual_while_let_some",
    "mut_range_bound",
    "needless_continue",
    "needless_range_loop",
    "never_loop",
    "same_item_push",
    "single_element_loop",
    "unused_enumerate_index",
    "while_let_loop",
    "while_let_on_iterator",
];

/// `attrs` with the loop's lints of each `#[expect(..)]` moved into an `#[allow(..)]` of their
/// own (see the module docs).
pub(crate) fn allow_expected_loop_lints(attrs: &mut Vec<Attribute>) {
    let mut out = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let Some((of_loop, rest)) = split(&attr) else {
            out.push(attr);
            continue;
        };
        let span = attr.span();
        let allow = syn::Ident::new("allow", span);
        let expect = syn::Ident::new("expect", span);
        let pound = Token![#](span);
        out.push(syn::parse_quote_spanned!(span=> #pound[#allow(#(#of_loop),*)]));
        // What is left, unless it is only the reason.
        if rest.iter().any(|meta| !is_reason(meta)) {
            out.push(syn::parse_quote_spanned!(span=> #pound[#expect(#(#rest),*)]));
        }
    }
    *attrs = out;
}

/// An `#[expect(..)]`'s loop lints and the rest (its other lints and its `reason`), if it names
/// any loop lint.
fn split(attr: &Attribute) -> Option<(Vec<Meta>, Vec<Meta>)> {
    if !attr.path().is_ident("expect") {
        return None;
    }
    let metas = attr
        .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .ok()?;
    let (of_loop, rest): (Vec<Meta>, Vec<Meta>) = metas.into_iter().partition(|meta| match meta {
        Meta::Path(path) => path
            .segments
            .last()
            .is_some_and(|last| OF_THE_LOOP.iter().any(|lint| last.ident == lint)),
        _ => false,
    });
    (!of_loop.is_empty()).then_some((of_loop, rest))
}

fn is_reason(meta: &Meta) -> bool {
    matches!(meta, Meta::NameValue(value) if value.path.is_ident("reason"))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use syn::Attribute;

    fn allowed(attrs: Vec<Attribute>) -> String {
        let mut attrs = attrs;
        super::allow_expected_loop_lints(&mut attrs);
        attrs
            .iter()
            .map(|attr| attr.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_loop_lint_expected_is_allowed_and_the_rest_stays_expected() {
        assert_eq!(
            allowed(vec![
                syn::parse_quote!(#[expect(clippy::needless_range_loop)])
            ]),
            "# [allow (clippy :: needless_range_loop)]"
        );
        assert_eq!(
            allowed(vec![syn::parse_quote!(
                #[expect(clippy::while_let_on_iterator, clippy::cast_possible_truncation, reason = "why")]
            )]),
            "# [allow (clippy :: while_let_on_iterator)] # [expect (clippy :: cast_possible_truncation , reason = \"why\")]"
        );
        assert_eq!(
            allowed(vec![
                syn::parse_quote!(#[expect(clippy::needless_range_loop, reason = "why")])
            ]),
            "# [allow (clippy :: needless_range_loop)]"
        );
        assert_eq!(
            allowed(vec![
                syn::parse_quote!(#[expect(unused_variables)]),
                syn::parse_quote!(#[inline])
            ]),
            "# [expect (unused_variables)] # [inline]"
        );
    }
}
