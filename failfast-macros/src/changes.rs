//! The calls in a parallel loop's body that may change a place its iterations share
//! (`self.items.push(x)`), as the walk meets them: which places are shared, and whether a
//! statement that checks one can go before the call's statement (see
//! `expand::changed_container`).

use proc_macro2::TokenStream;
use std::collections::HashSet;
use syn::visit::{self, Visit};
use syn::{Block, Expr, Pat};

/// The names `place` uses, if it is a variable declared outside the body and its fields
/// and elements (`self.items[i]`, `*out`): the iterations share it. Not a capitalized
/// name (a constant's value is a copy), nor one the body binds anywhere, which may be the
/// body's own; nor an element whose index moves or runs code (`shards[shard(key)]`), which
/// a check before the statement would evaluate again.
pub(crate) fn shared_place(body_binds: &HashSet<String>, place: &Expr) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    let mut at = place;
    let root = loop {
        match at {
            Expr::Path(path) if path.qself.is_none() => break path.path.get_ident()?,
            Expr::Field(field) => at = &field.base,
            Expr::Index(index) => {
                if !plain_index(&index.index, &mut names) {
                    return None;
                }
                at = &index.expr;
            }
            Expr::Paren(paren) => at = &paren.expr,
            Expr::Group(group) => at = &group.expr,
            Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Deref(_),
                expr,
                ..
            }) => at = expr,
            _ => return None,
        }
    };
    let root = root.to_string();
    if root.starts_with(char::is_uppercase) || body_binds.contains(&root) {
        return None;
    }
    names.insert(root);
    Some(names)
}

/// Whether `stmt` has attributes of its own (`#[cfg]`, `#[allow]`).
pub(crate) fn has_attributes(stmt: &syn::Stmt) -> bool {
    match stmt {
        syn::Stmt::Local(local) => !local.attrs.is_empty(),
        syn::Stmt::Macro(mac) => !mac.attrs.is_empty(),
        syn::Stmt::Expr(expr, _) => {
            crate::find::expr_attrs(expr).is_some_and(|attrs| !attrs.is_empty())
        }
        syn::Stmt::Item(_) => true,
    }
}

/// The macro call that `stmt` is, with its name (`assert` for `std::assert!(..)`), if it is
/// one.
fn statement_macro(stmt: &syn::Stmt) -> Option<(&syn::Macro, String)> {
    let mac = match stmt {
        syn::Stmt::Macro(stmt) => &stmt.mac,
        syn::Stmt::Expr(Expr::Macro(expr), _) => &expr.mac,
        _ => return None,
    };
    let name = mac.path.segments.last()?.ident.to_string();
    Some((mac, name))
}

/// Whether `stmt` certainly leaves its block: a `return`, `break` or `continue`, or a macro
/// that panics. The statements after it are unreachable.
pub(crate) fn diverges(stmt: &syn::Stmt) -> bool {
    if let syn::Stmt::Expr(Expr::Return(_) | Expr::Break(_) | Expr::Continue(_), _) = stmt {
        return true;
    }
    statement_macro(stmt).is_some_and(|(_, name)| {
        matches!(
            name.as_str(),
            "panic" | "unreachable" | "todo" | "unimplemented"
        )
    })
}

/// The arguments of a macro that is `stmt` and one of the standard library's that take
/// expressions (`assert!`, `println!`), parsed; none for any other statement.
pub(crate) fn macro_arguments(stmt: &syn::Stmt) -> Vec<Expr> {
    let Some((mac, name)) = statement_macro(stmt) else {
        return Vec::new();
    };
    if !binds_nothing(&name) {
        return Vec::new();
    }
    crate::captures::expression_arguments(mac)
        .map(|arguments| arguments.into_iter().collect())
        .unwrap_or_default()
}

/// The names that the loop's pattern and `body` bind anywhere (see [`Bound`]): a place rooted
/// at one of them may be the body's own.
pub(crate) fn bound_in(pat: &Pat, body: &Block) -> HashSet<String> {
    let mut bound = Bound(HashSet::new());
    bound.visit_pat(pat);
    bound.visit_block(body);
    bound.0
}

/// The names that `pat` binds.
pub(crate) fn bound_by(pat: &Pat) -> HashSet<String> {
    let mut bound = Bound(HashSet::new());
    bound.visit_pat(pat);
    bound.0
}

/// The names that `stmt` binds anywhere (see [`Bound`]).
pub(crate) fn binds_in(stmt: &syn::Stmt) -> HashSet<String> {
    let mut bound = Bound(HashSet::new());
    bound.visit_stmt(stmt);
    bound.0
}

/// Whether a macro of this name is one of the standard library's, `log`'s or `tracing`'s,
/// which bind nothing (`assert!`, `println!`, `info!`).
fn binds_nothing(name: &str) -> bool {
    crate::captures::FORMATTING.contains(&name) || crate::captures::LOGGING.contains(&name)
}

/// The names patterns bind, and every name but `self` in a macro call that is a statement,
/// which may bind it for the statements after it (`let_it!(v = Vec::new());`). A macro inside
/// an expression (`format!("{}", self.prefix)`) binds nothing outside it.
struct Bound(HashSet<String>);

impl Visit<'_> for Bound {
    fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
        self.0.insert(binding.ident.to_string());
        visit::visit_pat_ident(self, binding);
    }

    fn visit_stmt(&mut self, stmt: &syn::Stmt) {
        let Some((mac, name)) = statement_macro(stmt) else {
            return visit::visit_stmt(self, stmt);
        };
        if binds_nothing(&name) {
            // Its arguments' own patterns (`assert!(rows.iter().all(|row| ..))`) are the
            // statement's.
            for argument in macro_arguments(stmt) {
                self.visit_expr(&argument);
            }
            return;
        }
        fn names(tokens: TokenStream, into: &mut HashSet<String>) {
            for token in tokens {
                match token {
                    proc_macro2::TokenTree::Ident(name) if name != "self" => {
                        into.insert(name.to_string());
                    }
                    proc_macro2::TokenTree::Group(group) => names(group.stream(), into),
                    _ => {}
                }
            }
        }
        names(mac.tokens.clone(), &mut self.0);
    }
}

/// Whether an index (`i`, `x as usize % 4`, `order[i]`) only reads variables and
/// elements, which it adds to `names`, with no call: the check before its statement takes
/// each of them by reference (see `expand::index_value`), so that none moves.
fn plain_index(index: &Expr, names: &mut HashSet<String>) -> bool {
    match index {
        Expr::Path(path) => {
            if let Some(name) = path.path.get_ident() {
                names.insert(name.to_string());
            }
            path.qself.is_none()
        }
        Expr::Lit(_) => true,
        Expr::Field(field) => plain_index(&field.base, names),
        Expr::Reference(reference) => plain_index(&reference.expr, names),
        Expr::Unary(unary) => plain_index(&unary.expr, names),
        Expr::Cast(cast) => plain_index(&cast.expr, names),
        Expr::Paren(paren) => plain_index(&paren.expr, names),
        Expr::Group(group) => plain_index(&group.expr, names),
        Expr::Binary(binary) => {
            plain_index(&binary.left, names) && plain_index(&binary.right, names)
        }
        Expr::Index(index) => plain_index(&index.expr, names) && plain_index(&index.index, names),
        Expr::Range(range) => [&range.start, &range.end]
            .into_iter()
            .flatten()
            .all(|end| plain_index(end, names)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(of: &[&str]) -> HashSet<String> {
        of.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_place_is_shared_through_fields_and_plain_indexes() {
        let shared = |place: &str| shared_place(&names(&["own"]), &syn::parse_str(place).unwrap());
        assert_eq!(shared("self.items"), Some(names(&["self"])));
        assert_eq!(shared("grid[x as usize % 4]"), Some(names(&["grid", "x"])));
        assert_eq!(shared("(*out).rows[i].cells"), Some(names(&["out", "i"])));
        // An index that moves or calls would run again in the check before its statement.
        assert_eq!(shared("shards[shard(key)]"), None);
        // The body's own, a constant, and what is not a place.
        assert_eq!(shared("own.items"), None);
        assert_eq!(shared("EMPTY"), None);
        assert_eq!(shared("lock.lock().unwrap()"), None);
    }

    #[test]
    fn a_statement_binds_its_patterns_and_the_names_of_an_unknown_macro() {
        let binds = |stmt: &str| binds_in(&syn::parse_str(stmt).unwrap());
        assert_eq!(binds("let (a, mut b) = pair;"), names(&["a", "b"]));
        assert_eq!(
            binds("items.iter().for_each(|i| grid[*i].push(1));"),
            names(&["i"])
        );
        assert_eq!(binds("let_it!(v = self.make());"), names(&["v", "make"]));
        // A known macro, or one inside an expression, binds nothing after it.
        assert_eq!(binds("assert!(!grid.is_empty());"), names(&[]));
        assert_eq!(
            binds("assert!(rows.iter().all(|row| row.is_empty()));"),
            names(&["row"])
        );
        assert_eq!(
            binds("self.names.push(format!(\"{}\", self.prefix));"),
            names(&[])
        );
    }
}
