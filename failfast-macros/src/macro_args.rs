//! Marked loops inside a macro call's arguments: `tokio::try_join!(async { #[fail_fast] for .. },
//! ..)`. A macro's arguments are tokens, not syntax, so the other phases would not see the
//! loops in them, and rustc would reject the markers left there ("attributes on expressions
//! are experimental"). A call whose arguments hold a marker and read as expressions separated
//! by commas (`join!`, `try_join!`, `vec!`, `println!`'s arguments) is opened before the
//! phases run: it becomes a call of a function named for it, `__failfast_macro_N(a, b)`, whose
//! arguments the phases see and rewrite as any other code, and [`Opened::close`] writes the
//! macro call back around what they made of them. A call whose arguments do not read so
//! (`select!`'s arms) is refused, with what to write instead.

use crate::errors::Errors;
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Item, Token};

/// The macro calls opened in a function, in the order of their numbers.
pub(crate) struct Opened {
    /// Each call's path (with its `!`) and its arguments' delimiter.
    calls: Vec<(TokenStream, Delimiter)>,
    /// Whether a call with a marker in its arguments was refused: the function has marked
    /// loops, though none is left to see.
    pub(crate) refused: bool,
}

const PREFIX: &str = "__failfast_macro_";

impl Opened {
    /// Opens the calls in `block` (outside nested items) whose arguments hold a marker;
    /// refuses those whose arguments are not expressions, and takes their markers out.
    pub(crate) fn open(block: &mut syn::Block, errors: &mut Errors) -> Opened {
        let mut open = Open {
            calls: Vec::new(),
            refused: false,
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
                    let call = self.number(&ident).and_then(|n| self.calls.get(n));
                    match (call, tokens.peek()) {
                        (Some((path, delimiter)), Some(TokenTree::Group(arguments)))
                            if arguments.delimiter() == Delimiter::Parenthesis =>
                        {
                            let arguments = self.close(arguments.stream());
                            let mut group = Group::new(*delimiter, arguments);
                            group.set_span(ident.span());
                            out.extend(path.clone());
                            out.push(TokenTree::Group(group));
                            tokens.next();
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

    fn number(&self, ident: &Ident) -> Option<usize> {
        ident.to_string().strip_prefix(PREFIX)?.parse().ok()
    }
}

struct Open<'e> {
    calls: Vec<(TokenStream, Delimiter)>,
    refused: bool,
    errors: &'e mut Errors,
}

impl Open<'_> {
    /// The call that stands for `mac`, if its arguments hold a marker and are expressions.
    fn open(&mut self, mac: &mut syn::Macro) -> Option<Expr> {
        let mut found = Vec::new();
        markers(mac.tokens.clone(), &mut found);
        if found.is_empty() {
            return None;
        }
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let Ok(arguments) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            let name = mac.path.segments.last().map(|s| s.ident.to_string());
            let name = name.unwrap_or_default();
            for at in found {
                self.errors.error_at(
                    at,
                    format!(
                        "this loop is in the arguments of `{name}!`, which are not expressions separated by commas: `#[fail_fast]` cannot rewrite it there\n\
                         help: write the loop in a function of its own (an `async fn` for an async loop), and call that in `{name}!`"
                    ),
                );
            }
            mac.tokens = strip_markers(mac.tokens.clone());
            self.refused = true;
            return None;
        };
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
        self.calls.push((quote!(#path #bang), delimiter));
        let function = Ident::new(&format!("{PREFIX}{number}"), span);
        let arguments = arguments.into_iter();
        Some(syn::parse_quote_spanned!(span=> #function(#(#arguments),*)))
    }
}

impl VisitMut for Open<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(call) = expr {
            if let Some(opened) = self.open(&mut call.mac) {
                *expr = opened;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(call) = stmt {
            if let Some(opened) = self.open(&mut call.mac) {
                // A braced call needs no `;`; the call it stands for is a statement, with or
                // without one, once it is written back.
                *stmt = syn::Stmt::Expr(opened, call.semi_token);
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
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

/// Whether `tokens[i]` is the bracketed part of a marker: `#` before it, `fail_fast` the last
/// name of its path.
fn is_marker_at(tokens: &[TokenTree], i: usize) -> bool {
    let TokenTree::Group(group) = &tokens[i] else {
        return false;
    };
    let hash = i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '#');
    hash && group.delimiter() == Delimiter::Bracket
        && syn::parse2::<syn::Meta>(group.stream()).is_ok_and(|meta| {
            meta.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "fail_fast")
        })
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
