//! Marked loops inside a macro call's arguments: `tokio::try_join!(async { #[fail_fast] for .. },
//! ..)`. A macro's arguments are tokens, not syntax, so the other phases would not see the
//! loops in them, and rustc would reject the markers left there ("attributes on expressions
//! are experimental"). A call whose arguments hold a marker and read as expressions separated
//! by commas (`join!`, `try_join!`, `vec!`, `println!`'s arguments, named ones included) is
//! opened before the phases run: it becomes a call of a function named for it,
//! `__failfast_macro_N(a, b)`, whose arguments the phases see and rewrite as any other code,
//! and [`Opened::close`] writes the macro call back around what they made of them.
//!
//! Refused, with an error at each marker and what to write instead:
//! - a call whose arguments do not read so (`select!`'s arms);
//! - `assert!`, `debug_assert!` and `dbg!`, which print their arguments as written: they would
//!   print the rewrite;
//! - a call inside a marked loop's body: there the phases take the body's macros for what
//!   they may hide (a `return`, a `?`, an `.await`), which an opened call no longer shows.

use crate::errors::Errors;
use crate::find::is_marker;
use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Item, Token};

/// The macro calls opened in a function, in the order of their numbers.
pub(crate) struct Opened {
    calls: Vec<Call>,
    /// Whether a call with a marker in its arguments was refused: the function has marked
    /// loops, though none is left to see.
    pub(crate) refused: bool,
}

/// What [`Opened::close`] needs to write a call back.
struct Call {
    /// The path, with its `!`.
    path: TokenStream,
    delimiter: Delimiter,
    /// The span of the arguments' delimiters, from the first to the last: rustc's labels and
    /// suggestions cover the whole call.
    span: Span,
    /// A braced call in statement position, not the block's last, was given a `;` as the
    /// function call it stands for needs; it goes again with the call (rustc would warn of
    /// an unnecessary `;`).
    added_semi: bool,
}

/// The function an opened call becomes.
const CALL: &str = "__failfast_macro_";
/// A named argument, `name = value`, becomes `__failfast_named_name(value)`: as an
/// assignment, the phases would take it for a change of a variable `name`.
const NAMED: &str = "__failfast_named_";

/// Macros that print their arguments as written.
const QUOTING: &[&str] = &["assert", "debug_assert", "dbg"];

impl Opened {
    /// Opens the calls in `block` (outside nested items) whose arguments hold a marker;
    /// refuses the others (see the module docs), and takes their markers out.
    pub(crate) fn open(block: &mut syn::Block, errors: &mut Errors) -> Opened {
        let mut open = Open {
            calls: Vec::new(),
            refused: false,
            in_marked_loop: 0,
            errors,
        };
        open.visit_block_mut(block);
        Opened {
            calls: open.calls,
            refused: open.refused,
        }
    }

    /// `tokens` with every opened call written back as the macro call it was.
    pub(crate) fn close(&self, tokens: TokenStream) -> TokenStream {
        if self.calls.is_empty() {
            return tokens;
        }
        let mut out = Vec::new();
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Ident(ident) => {
                    let arguments = match tokens.peek() {
                        Some(TokenTree::Group(group))
                            if group.delimiter() == Delimiter::Parenthesis =>
                        {
                            Some(group.clone())
                        }
                        _ => None,
                    };
                    let name = ident.to_string();
                    match (arguments, name.strip_prefix(CALL), name.strip_prefix(NAMED)) {
                        (Some(arguments), Some(number), _) => {
                            let call = number.parse().ok().and_then(|n: usize| self.calls.get(n));
                            let Some(call) = call else {
                                out.push(TokenTree::Ident(ident));
                                continue;
                            };
                            tokens.next();
                            let mut group =
                                Group::new(call.delimiter, self.close(arguments.stream()));
                            group.set_span(call.span);
                            out.extend(call.path.clone());
                            out.push(TokenTree::Group(group));
                            if call.added_semi {
                                tokens.next_if(|next| {
                                    matches!(next, TokenTree::Punct(p) if p.as_char() == ';')
                                });
                            }
                        }
                        (Some(arguments), None, Some(named)) => {
                            tokens.next();
                            out.push(TokenTree::Ident(Ident::new(named, ident.span())));
                            let mut equals = Punct::new('=', Spacing::Alone);
                            equals.set_span(ident.span());
                            out.push(TokenTree::Punct(equals));
                            out.extend(self.close(arguments.stream()));
                        }
                        _ => out.push(TokenTree::Ident(ident)),
                    }
                }
                TokenTree::Group(group) => {
                    let mut closed = Group::new(group.delimiter(), self.close(group.stream()));
                    closed.set_span(group.span());
                    out.push(TokenTree::Group(closed));
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }
}

struct Open<'e> {
    calls: Vec<Call>,
    refused: bool,
    /// How many marked loops the visit is in.
    in_marked_loop: usize,
    errors: &'e mut Errors,
}

impl Open<'_> {
    /// The call that stands for `mac`, if its arguments hold a marker and it may be opened.
    fn open(
        &mut self,
        mac: &mut syn::Macro,
        attrs: &[syn::Attribute],
        added_semi: bool,
    ) -> Option<Expr> {
        let mut found = Vec::new();
        markers(mac.tokens.clone(), &mut found);
        if found.is_empty() {
            return None;
        }
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        let name = name.unwrap_or_default();
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let parsed = syn::parse::Parser::parse2(parser, mac.tokens.clone());
        let refusal = match &parsed {
            _ if self.in_marked_loop > 0 => Some(format!(
                "this loop is in the arguments of `{name}!`, inside a parallel loop's body: `#[fail_fast]` cannot rewrite it there\n\
                 help: write the loop in a function of its own (an `async fn` for an async loop), and call that in `{name}!`"
            )),
            _ if QUOTING.contains(&name.as_str()) => Some(format!(
                "this loop is in the arguments of `{name}!`, which prints them as written: it would print the loop's rewrite\n\
                 help: compute the value first (`let value = {{ .. }};`), and pass `value` to `{name}!`"
            )),
            Err(_) => Some(format!(
                "this loop is in the arguments of `{name}!`, which are not expressions separated by commas: `#[fail_fast]` cannot rewrite it there\n\
                 help: write the loop in a function of its own (an `async fn` for an async loop), and call that in `{name}!`"
            )),
            Ok(_) => None,
        };
        if let Some(refusal) = refusal {
            for at in found {
                self.errors.error_at(at, &refusal);
            }
            mac.tokens = strip_markers(mac.tokens.clone());
            self.refused = true;
            return None;
        }
        let arguments = parsed.ok()?.into_iter().map(named_as_call);
        let number = self.calls.len();
        let span = mac
            .path
            .segments
            .last()
            .map_or_else(Span::call_site, |s| s.ident.span());
        let path = &mac.path;
        let bang = mac.bang_token;
        let delimiter = match mac.delimiter {
            syn::MacroDelimiter::Paren(_) => Delimiter::Parenthesis,
            syn::MacroDelimiter::Brace(_) => Delimiter::Brace,
            syn::MacroDelimiter::Bracket(_) => Delimiter::Bracket,
        };
        self.calls.push(Call {
            path: quote!(#path #bang),
            delimiter,
            span: mac.delimiter.span().join(),
            added_semi,
        });
        let function = Ident::new(&format!("{CALL}{number}"), span);
        Some(syn::parse_quote_spanned!(span=> #(#attrs)* #function(#(#arguments),*)))
    }
}

/// A named argument (`count = value`, as `println!` and `format!` take) as a call that the
/// phases do not take for an assignment; other arguments as they are.
fn named_as_call(argument: Expr) -> Expr {
    match argument {
        Expr::Assign(assign) if assign.attrs.is_empty() => match &*assign.left {
            Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none() => {
                match path.path.get_ident() {
                    Some(name) => {
                        let function = Ident::new(&format!("{NAMED}{name}"), name.span());
                        let value = &assign.right;
                        syn::parse_quote_spanned!(name.span()=> #function(#value))
                    }
                    None => Expr::Assign(assign),
                }
            }
            _ => Expr::Assign(assign),
        },
        other => other,
    }
}

impl VisitMut for Open<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter_mut().enumerate() {
            if let syn::Stmt::Macro(call) = stmt {
                // A braced call needs no `;`; the function call it stands for does, unless it
                // is the block's value.
                let braced = matches!(call.mac.delimiter, syn::MacroDelimiter::Brace(_));
                let added = braced && call.semi_token.is_none() && i < last;
                if let Some(opened) = self.open(&mut call.mac, &call.attrs, added) {
                    let semi = call.semi_token.or(added.then(Default::default));
                    *stmt = syn::Stmt::Expr(opened, semi);
                }
            }
            self.visit_stmt_mut(stmt);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(call) = expr {
            if let Some(opened) = self.open(&mut call.mac, &call.attrs, false) {
                *expr = opened;
            }
        }
        let marked = crate::find::expr_attrs(expr).is_some_and(|attrs| attrs.iter().any(is_marker))
            && matches!(expr, Expr::ForLoop(_) | Expr::While(_));
        self.in_marked_loop += usize::from(marked);
        visit_mut::visit_expr_mut(self, expr);
        self.in_marked_loop -= usize::from(marked);
    }

    // A nested item is expanded on its own.
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// Where `tokens` hold a `#[fail_fast]` (or `#[failfast::fail_fast(..)]`) attribute, in
/// groups too: the span of each one's brackets.
fn markers(tokens: TokenStream, found: &mut Vec<Span>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = token {
            if is_marker_at(&tokens, i) {
                found.push(group.span());
            } else {
                markers(group.stream(), found);
            }
        }
    }
}

/// Whether `tokens[i]` is the bracketed part of a marker: `#` before it, and the two make an
/// attribute that [`is_marker`] takes for one.
fn is_marker_at(tokens: &[TokenTree], i: usize) -> bool {
    let (Some(hash @ TokenTree::Punct(pound)), TokenTree::Group(group)) =
        (i.checked_sub(1).map(|before| &tokens[before]), &tokens[i])
    else {
        return false;
    };
    let attribute = [hash.clone(), TokenTree::Group(group.clone())];
    pound.as_char() == '#'
        && syn::parse::Parser::parse2(syn::Attribute::parse_outer, attribute.into_iter().collect())
            .is_ok_and(|attrs| attrs.iter().any(is_marker))
}

/// `tokens` without their markers.
fn strip_markers(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let hash_of_marker = matches!(token, TokenTree::Punct(p) if p.as_char() == '#')
            && i + 1 < tokens.len()
            && is_marker_at(&tokens, i + 1);
        if hash_of_marker || is_marker_at(&tokens, i) {
            continue;
        }
        match token {
            TokenTree::Group(group) => {
                let mut stripped = Group::new(group.delimiter(), strip_markers(group.stream()));
                stripped.set_span(group.span());
                out.push(TokenTree::Group(stripped));
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().collect()
}
