//! Data races: a parallel loop's body changing a variable declared outside it. Iterations run
//! at the same time, so the sequential loop's `total += n` or `results.push(x)` would race.
//!
//! The walk follows Rust's scopes: a name bound inside the body (by `let`, a pattern, a closure
//! parameter, a `match` arm) is the body's own from there on, even if it shadows an outer one.

use crate::captures::{Mutable, Shared};
use crate::errors::Errors;
use crate::model::{Kind, ParallelLoop, Source};
use quote::ToTokens;
use std::collections::{HashMap, HashSet};
use syn::visit::{self, Visit};
use syn::{Block, Expr, Item, Pat, Signature, Stmt, Type, TypeParamBound};

/// The methods of the standard containers that change them: calling one on an outer `mut`
/// variable known to be a container races (a type of the user's own may have a `push(&self)`);
/// on any other place declared outside the body, rustc is asked whether it is a container
/// (see `expand::changed_container`).
pub(crate) const MUTATING: &[&str] = &[
    "push",
    "push_back",
    "push_front",
    "push_str",
    "insert",
    "insert_str",
    "entry",
    "extend",
    "extend_from_slice",
    "append",
    "remove",
    "remove_entry",
    "swap_remove",
    "clear",
    "sort",
    "sort_by",
    "sort_by_key",
    "sort_unstable",
    "sort_unstable_by",
    "sort_unstable_by_key",
    "dedup",
    "truncate",
    "retain",
    "pop",
    "pop_back",
    "pop_front",
    "drain",
    "reserve",
    "resize",
    "split_off",
    "get_mut",
    "iter_mut",
    "values_mut",
    "last_mut",
    "first_mut",
    "as_mut",
    "reverse",
    "fill",
    "get_or_insert",
    "get_or_insert_with",
    "swap",
    "rotate_left",
    "rotate_right",
    "sort_by_cached_key",
    "dedup_by",
    "dedup_by_key",
    "resize_with",
    "extend_from_within",
    "shrink_to_fit",
    "splice",
    "retain_mut",
    "fill_with",
    "split_at_mut",
    "chunks_mut",
    "as_mut_slice",
    "reserve_exact",
    "select_nth_unstable",
    "copy_from_slice",
    "clone_from_slice",
    "make_ascii_lowercase",
    "make_ascii_uppercase",
    "replace_range",
    "make_contiguous",
    "peek_mut",
    "pop_first",
    "pop_last",
    "first_entry",
    "last_entry",
];

/// Methods that change `Option` and the sets only (`Option::take`, `HashSet::replace(v)`):
/// checked by type alone, as a `Vec<u8>`'s or an array's `take(n)` is `io::Read`'s, on a copy
/// of a `&[u8]`, and `str::replace(from, to)` changes nothing.
pub(crate) const TAKING_OUT: &[&str] = &["take", "replace"];

/// The methods that change an iterator, a buffered reader or a hasher, with their number of
/// arguments (`ids.next()`, `input.read_line(..)`, `hasher.write_u32(..)`): checked by the
/// place's type, one of the standard library's (see `failfast_runtime::rewrite::changed`),
/// as a type of the user's own may have a `next(&self)` (an id generator). Not `write`,
/// `flush` or `read`, which a trait of the user's own may well give a `File` on `&self` (a
/// logger's `write(&self, line)`) and the call would pick: rustc reports those. A user's trait
/// with a `next(&self)` for a standard iterator would be refused, where the sequential loop
/// compiles; `#[allow(..)]` on the statement skips the check. (`write_all` and the like take
/// `&mut self` whatever the type: see [`WRITING`].)
const CHANGING_STD_VALUES: &[(&str, usize, Change)] = &[
    ("next", 0, Change::Stepped),
    ("next_back", 0, Change::Stepped),
    ("nth", 1, Change::Stepped),
    ("nth_back", 1, Change::Stepped),
    ("read_line", 1, Change::ReadBuffered),
    ("read_until", 2, Change::ReadBuffered),
    ("fill_buf", 0, Change::ReadBuffered),
    ("consume", 1, Change::ReadBuffered),
    ("write_u8", 1, Change::Hashed),
    ("write_u16", 1, Change::Hashed),
    ("write_u32", 1, Change::Hashed),
    ("write_u64", 1, Change::Hashed),
    ("write_u128", 1, Change::Hashed),
    ("write_usize", 1, Change::Hashed),
    ("write_i8", 1, Change::Hashed),
    ("write_i16", 1, Change::Hashed),
    ("write_i32", 1, Change::Hashed),
    ("write_i64", 1, Change::Hashed),
    ("write_i128", 1, Change::Hashed),
    ("write_isize", 1, Change::Hashed),
];

/// Which check a call of `method` with `arguments` arguments on a shared place gets (see
/// `expand::changed_container`), if any.
pub(crate) fn change_of(method: &str, arguments: usize) -> Option<Change> {
    if MUTATING.contains(&method) {
        Some(Change::Container)
    } else if TAKING_OUT.contains(&method) && arguments <= 1 {
        Some(Change::Taken)
    } else {
        CHANGING_STD_VALUES
            .iter()
            .find(|&&(name, takes, _)| name == method && takes == arguments)
            .map(|&(_, _, change)| change)
    }
}

/// What a changing method may change: see [`change_of`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Change {
    /// Any standard container ([`MUTATING`]).
    Container,
    /// `Option` or a set ([`TAKING_OUT`]).
    Taken,
    /// A standard iterator ([`CHANGING_STD_VALUES`], as the next two).
    Stepped,
    /// A standard buffered reader.
    ReadBuffered,
    /// The standard `DefaultHasher`.
    Hashed,
}

/// A writer's and a reader's methods, which take `&mut self` whatever the type (`let mut out
/// = File::create(..)?` written to in the body). Not `next`, `flush` or `seek`, which a type
/// of the user's own may define on `&self` (an id generator's `next`); nor `swap` and `take`,
/// which an atomic's or a cell's take on `&self` (`slots[i].swap(1, SeqCst)`).
const WRITING: &[&str] = &[
    "write_all",
    "write_fmt",
    "write_str",
    "write_char",
    "read_exact",
    "read_to_end",
    "read_to_string",
    "by_ref",
];

/// Why a thread loop's or an async loop's iterations cannot change a place they share.
fn at_once(kind: Kind) -> &'static str {
    match kind {
        Kind::Thread => "iterations run at the same time on several threads",
        Kind::Async => "iterations run at the same time, as futures that take turns on one task",
    }
}

/// What a change of a shared place is, in a thread loop or an async loop.
fn race(kind: Kind) -> &'static str {
    match kind {
        Kind::Thread => "a data race",
        Kind::Async => "a conflict between their borrows",
    }
}

/// What to write instead of a change of a shared place.
fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::Thread => "help: collect the values with `failfast::try_map` (in input order), or share an atomic (`AtomicUsize::fetch_add`) or a `Mutex<..>`",
        Kind::Async => "help: collect the values with `failfast::future::try_map` (in input order), or share an atomic (`AtomicUsize::fetch_add`), a `Mutex<..>`, or a `Cell` if the function's future need not be `Send`",
    }
}

/// The help for a change of what a `while let` loop's head uses: the worklist pattern.
const HEAD_HELP: &str = "help: recurse instead (the same parallel loop reached again inside an iteration shares one limit), or send the new work on a channel whose receiver the head reads";

/// The help for a use of what a `while let` loop's head takes its items from.
const TAKEN_HELP: &str = "help: compute what the body needs in the head and bind it with the item (`while let Some((x, left)) = it.next().map(|x| (x, it.len()))`), or recurse, or send the work on a channel whose receiver the head reads";

/// Reports every change, in the body of `described`, of a variable declared outside it. A
/// `while let` loop's head: changing a variable it uses is reported whether or not it is
/// `mut` (a `&mut` parameter), with a help of its own; and so is any use, among the places
/// the body shares (see `captures`), of what the head takes its items from mutably.
pub(crate) fn check(
    described: &ParallelLoop,
    guards: &HashSet<String>,
    fn_muts: &HashMap<String, Callable>,
    errors: &mut Errors,
) {
    let head = match &described.source {
        Source::Head(head) => Some(head),
        Source::Input(_) => None,
    };
    let mut races = Races {
        kind: described.kind,
        guards,
        shared_roots: described
            .shared
            .iter()
            .filter_map(|Shared { place, .. }| segments(place)?.into_iter().next())
            .collect(),
        scopes: vec![HashSet::new()],
        mutable: described.mutable.as_ref(),
        fn_muts,
        head_uses: head.map(places_in).unwrap_or_default(),
        reported: HashSet::new(),
        counter: match (&described.source, &described.pat) {
            (Source::Input(Expr::Range(_)), Pat::Ident(counter)) => Some(counter.ident.to_string()),
            _ => None,
        },
        errors,
    };
    races.bind(&described.pat);
    races.visit_block(&described.written_body);
    if let Some(head) = head {
        races.uses_of_taken(head, &described.shared);
    }
}

/// The methods that take a `while let` loop's next item through `&mut self` (an iterator's,
/// a stream's, a collection's, a reader's, tokio's receivers', and its `watch` receiver's
/// wait for the next change).
const TAKING: &[&str] = &[
    "next",
    "next_back",
    "nth",
    "try_next",
    "next_line",
    "next_entry",
    "read_line",
    "read_until",
    "pop",
    "pop_front",
    "pop_back",
    "pop_first",
    "pop_last",
    "recv",
    "recv_many",
    "changed",
];

/// The variables `head` takes its items from mutably, each with how (`it.next()`): a
/// `&mut` of one, an assignment to one (`i += 1`), or a [`TAKING`] method called on one that
/// the function declares `mut` (a
/// `SegQueue`'s `pop(&self)` or crossbeam's `recv(&self)` needs no `mut`). `None` for
/// `mutable`: the declarations cannot be seen, and only a `&mut` counts.
fn taken_by(head: &Expr, mutable: Option<&HashSet<String>>) -> Vec<(Vec<String>, String)> {
    struct Taken<'m>(Option<&'m HashSet<String>>, Vec<(Vec<String>, String)>);
    impl Visit<'_> for Taken<'_> {
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            let method = call.method.to_string();
            if let Some(place) = segments(&call.receiver) {
                if TAKING.contains(&method.as_str())
                    && self.0.is_some_and(|m| m.contains(&place[0]))
                {
                    self.1
                        .push((place, format!("{}.{method}()", written(&call.receiver))));
                }
            }
            visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_reference(&mut self, reference: &syn::ExprReference) {
            if let (Some(_), Some(place)) = (reference.mutability, segments(&reference.expr)) {
                self.1
                    .push((place, format!("&mut {}", written(&reference.expr))));
            }
            visit::visit_expr_reference(self, reference);
        }
        // `{ i += 1; (i < n).then_some(i) }`: a counter the head steps.
        fn visit_expr_assign(&mut self, assign: &syn::ExprAssign) {
            if let Some(place) = segments(&assign.left) {
                self.1
                    .push((place, format!("{} = ..", written(&assign.left))));
            }
            visit::visit_expr_assign(self, assign);
        }
        fn visit_expr_binary(&mut self, binary: &syn::ExprBinary) {
            let compound = is_compound_assignment(&binary.op);
            if let (true, Some(place)) = (compound, segments(&binary.left)) {
                let op = binary.op.to_token_stream();
                self.1
                    .push((place, format!("{} {op} ..", written(&binary.left))));
            }
            visit::visit_expr_binary(self, binary);
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut taken = Taken(mutable, Vec::new());
    taken.visit_expr(head);
    // Names the head binds itself (`{ let mut n = q.pop(); n = n.map(..); n }`) are its own,
    // whatever the body's same names mean.
    let binds = crate::captures::bound_in(head);
    taken.1.retain(|(place, _)| !binds.contains(&place[0]));
    taken.1
}

/// The places rooted at `self` that `head` takes its items from with a standard container's
/// own taking method (`self.queue.pop_front()`; see [`popped_by`]) and that `body` also uses:
/// a field overlapping it (`self.queue.len()`), or the whole `self` as a method's receiver, a
/// reference or an argument (`self.check(x)`), which rustc captures whole (a pattern that
/// binds some fields, `let W { limit, .. } = self`, captures those alone, and is not counted).
/// The macro cannot see a field's type, nor which method a call picks, so the rewrite asks
/// rustc whether the place is a container whose own method of that name takes `&mut self`
/// (see `failfast_runtime::rewrite::changed::NotTakenFromByTheHead`); each place comes with
/// the rewrite's method that asks it.
pub(crate) fn self_taken_and_used(head: &Expr, body: &Block) -> Vec<(Expr, &'static str)> {
    struct Taken(Vec<(Expr, &'static str)>);
    impl Visit<'_> for Taken {
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            if let (Some(asks), Some(place)) = (
                popped_by(&call.method.to_string()),
                segments(&call.receiver),
            ) {
                if place.len() > 1 && place[0] == "self" {
                    self.0.push(((*call.receiver).clone(), asks));
                }
            }
            visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_item(&mut self, _: &Item) {}
    }
    /// What the body uses of `self`: its fields, and whether it uses all of it.
    struct Used {
        fields: Vec<Vec<String>>,
        whole: bool,
    }
    fn is_self(expr: &Expr) -> bool {
        matches!(expr, Expr::Path(path) if path.path.is_ident("self"))
    }
    impl Visit<'_> for Used {
        fn visit_expr_field(&mut self, field: &syn::ExprField) {
            match field_segments(field) {
                Some(place) if place[0] == "self" => self.fields.push(place),
                _ => visit::visit_expr_field(self, field),
            }
        }
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            self.whole |= is_self(&call.receiver);
            self.whole |= call.args.iter().any(is_self);
            visit::visit_expr_method_call(self, call);
        }
        fn visit_expr_call(&mut self, call: &syn::ExprCall) {
            self.whole |= call.args.iter().any(is_self);
            visit::visit_expr_call(self, call);
        }
        fn visit_local(&mut self, local: &syn::Local) {
            // `let _ = self.queue;` reads nothing: rustc captures no place bound to `_`.
            let ignored = matches!(&local.init, Some(init)
                if matches!(local.pat, Pat::Wild(_)) && segments(&init.expr).is_some());
            if !ignored {
                visit::visit_local(self, local);
            }
        }
        fn visit_expr_reference(&mut self, reference: &syn::ExprReference) {
            let mut inner = &*reference.expr;
            if let Expr::Unary(unary) = inner {
                if matches!(unary.op, syn::UnOp::Deref(_)) {
                    inner = &unary.expr;
                }
            }
            self.whole |= is_self(inner);
            visit::visit_expr_reference(self, reference);
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut taken = Taken(Vec::new());
    taken.visit_expr(head);
    if taken.0.is_empty() {
        return Vec::new();
    }
    let mut used = Used {
        fields: Vec::new(),
        whole: false,
    };
    used.visit_block(body);
    taken.0.retain(|(place, _)| {
        let Some(taken) = segments(place) else {
            return false;
        };
        used.whole
            || used
                .fields
                .iter()
                .any(|used| taken.starts_with(used) || used.starts_with(&taken))
    });
    taken.0
}

/// The rewrite's method that asks rustc whether a place is a standard container whose own
/// `method` takes the next item through `&mut self`: only `pop` (`Vec`, `BinaryHeap`,
/// `String`), `pop_front` and `pop_back` (`VecDeque`, `LinkedList`), and `pop_first` and
/// `pop_last` (`BTreeMap`, `BTreeSet`) are such methods; and `next`, `next_back` and `nth` of
/// a standard iterator, and `recv` and `recv_many` of a tokio receiver.
fn popped_by(method: &str) -> Option<&'static str> {
    match method {
        "next" | "next_back" | "nth" => Some("__failfast_stepped"),
        "recv" | "recv_many" => Some("__failfast_received"),
        "pop" => Some("__failfast_popped"),
        "pop_front" | "pop_back" => Some("__failfast_popped_at_ends"),
        "pop_first" | "pop_last" => Some("__failfast_popped_in_order"),
        _ => None,
    }
}

/// A place as its variable and fields (`st.q`: `st`, `q`), if it is one.
fn segments(place: &Expr) -> Option<Vec<String>> {
    match place {
        Expr::Path(path) if path.qself.is_none() => Some(vec![path.path.get_ident()?.to_string()]),
        Expr::Field(field) => field_segments(field),
        Expr::Paren(paren) => segments(&paren.expr),
        _ => None,
    }
}

/// [`segments`] of a field (`st.q`).
fn field_segments(field: &syn::ExprField) -> Option<Vec<String>> {
    let mut place = segments(&field.base)?;
    place.push(match &field.member {
        syn::Member::Named(name) => name.to_string(),
        syn::Member::Unnamed(index) => index.index.to_string(),
    });
    Some(place)
}

/// The methods that return a guard, through which a closure uses the guarded value.
const GUARDING: &[&str] = &[
    "lock",
    "try_lock",
    "blocking_lock",
    "lock_owned",
    "borrow_mut",
    "try_borrow_mut",
    "write",
    "try_write",
    "blocking_write",
    "write_owned",
    "get_mut",
];

/// The variables of `block` bound to a lock's or a cell's guard (`let mut st =
/// m.lock().unwrap();`): a closure that uses a field through one captures it whole, to call
/// its `DerefMut`.
pub(crate) fn guards(block: &Block) -> HashSet<String> {
    fn guarded(expr: &Expr) -> bool {
        match expr {
            Expr::MethodCall(call) => {
                GUARDING.contains(&call.method.to_string().as_str()) || guarded(&call.receiver)
            }
            Expr::Try(tried) => guarded(&tried.expr),
            Expr::Await(awaited) => guarded(&awaited.base),
            Expr::Paren(paren) => guarded(&paren.expr),
            _ => false,
        }
    }
    struct Guards(HashSet<String>);
    impl Visit<'_> for Guards {
        fn visit_local(&mut self, local: &syn::Local) {
            let binding = match &local.pat {
                Pat::Type(typed) => &*typed.pat,
                pat => pat,
            };
            if let (Pat::Ident(name), Some(init)) = (binding, &local.init) {
                if guarded(&init.expr) {
                    self.0.insert(name.ident.to_string());
                }
            }
            visit::visit_local(self, local);
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut found = Guards(HashSet::new());
    found.visit_block(block);
    found.0
}

/// The places `expr` uses, each as its variable and fields (`self.queue.pop()`: `self`,
/// `queue`): a field path whole, so that a change of another field of the same variable is
/// not taken for one of this place.
fn places_in(expr: &Expr) -> Vec<Vec<String>> {
    struct Places(Vec<Vec<String>>);
    impl Visit<'_> for Places {
        fn visit_expr_path(&mut self, path: &syn::ExprPath) {
            if let Some(name) = path.path.get_ident() {
                self.0.push(vec![name.to_string()]);
            }
        }
        fn visit_expr_field(&mut self, field: &syn::ExprField) {
            match field_segments(field) {
                Some(place) => self.0.push(place),
                None => visit::visit_expr_field(self, field),
            }
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut places = Places(Vec::new());
    places.visit_expr(expr);
    places.0
}

struct Races<'a> {
    /// Whether the iterations run on threads or as futures, for the messages' words.
    kind: Kind,
    /// The variables that hold a lock's or a cell's guard (see [`guards`]).
    guards: &'a HashSet<String>,
    /// The variables declared outside the body that it uses (see `captures::places_used`):
    /// none when the function cannot be seen.
    shared_roots: HashSet<String>,
    /// The names bound inside the body, innermost scope last.
    scopes: Vec<HashSet<String>>,
    mutable: Option<&'a Mutable>,
    /// The variables that only an `FnMut` call can call (see [`fn_mut_callables`]).
    fn_muts: &'a HashMap<String, Callable>,
    /// The places a `while let` loop's head uses (see [`places_in`]).
    head_uses: Vec<Vec<String>>,
    /// The ones among them whose change in the body was reported.
    reported: HashSet<String>,
    /// The loop's variable when it counts through a range (`for i in 0..v.len()`): an
    /// element indexed by it is meant to be the iteration's own.
    counter: Option<String>,
    errors: &'a mut Errors,
}

impl Races<'_> {
    fn bind(&mut self, pat: &Pat) {
        struct Bindings<'s>(&'s mut HashSet<String>);
        impl Visit<'_> for Bindings<'_> {
            fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
                self.0.insert(binding.ident.to_string());
                visit::visit_pat_ident(self, binding);
            }
        }
        let scope = self.scopes.last_mut().expect("always one scope");
        Bindings(scope).visit_pat(pat);
    }

    fn scoped(&mut self, pats: &[&Pat], f: impl FnOnce(&mut Self)) {
        self.scopes.push(HashSet::new());
        for pat in pats {
            self.bind(pat);
        }
        f(self);
        self.scopes.pop();
    }

    /// The variable at the root of a place (`stats` in `stats.total[i]`), if it was declared
    /// outside the body.
    fn outer_root<'e>(&self, place: &'e Expr) -> Option<&'e syn::Ident> {
        let root = match place {
            Expr::Path(path) if path.qself.is_none() => path.path.get_ident()?,
            Expr::Field(field) => return self.outer_root(&field.base),
            Expr::Index(index) => return self.outer_root(&index.expr),
            Expr::Paren(paren) => return self.outer_root(&paren.expr),
            // `*total += n`: a variable declared outside can only be changed through `*` if
            // it is a `&mut` or a smart pointer to a place it owns (a `Box`, a lock's guard),
            // which the body's closure (or async block) can only read.
            Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Deref(_),
                expr,
                ..
            }) if matches!(&**expr, Expr::Path(_)) => return self.outer_root(expr),
            // Through any other pointer, a method call or a lock: the borrow checker and
            // `Sync` decide.
            _ => return None,
        };
        let name = root.to_string();
        let inner = self.scopes.iter().any(|scope| scope.contains(&name));
        (!inner).then_some(root)
    }

    /// Whether `place` is rooted at a variable declared `mut` outside the body: changing it
    /// through a method or a `&mut` races.
    fn outer_mut(&self, place: &Expr) -> bool {
        self.outer_root(place).is_some_and(|root| {
            self.mutable
                .is_none_or(|mutable| mutable.any.contains(&root.to_string()))
        })
    }

    /// Whether `place` is a variable declared outside the body that is a `&mut` of a writer
    /// (see `captures::Mutable::written`), as a `write!` destination.
    fn outer_mut_ref(&self, place: &Expr) -> bool {
        matches!(place, Expr::Path(_))
            && self.outer_root(place).is_some_and(|root| {
                self.mutable
                    .is_none_or(|mutable| mutable.written.contains(&root.to_string()))
            })
    }

    /// Whether `place` is a field or an element of a variable declared outside the body,
    /// reached through no `*` (`self.items`, `grid[i]`): a `&mut` of it is a change whatever
    /// the variable's binding (a `&mut self` is not `mut`), which the body's closure (or async
    /// block) can only read. Not through a `*`, which may be a raw pointer's; and only a
    /// variable the function is seen to declare (not a name a macro in the body binds, nor a
    /// constant, whose value is a copy).
    fn outer_field(&self, place: &Expr) -> bool {
        fn plain(place: &Expr) -> bool {
            match place {
                Expr::Path(_) => true,
                Expr::Field(field) => plain(&field.base),
                Expr::Index(index) => plain(&index.expr),
                Expr::Paren(paren) => plain(&paren.expr),
                _ => false,
            }
        }
        matches!(place, Expr::Field(_) | Expr::Index(_))
            && plain(place)
            && self
                .outer_root(place)
                .is_some_and(|root| self.shared_roots.contains(&root.to_string()))
    }

    /// [`outer_mut`](Self::outer_mut) or [`outer_field`](Self::outer_field): a `&mut` of
    /// `place` is a change of a place the iterations share.
    fn changed_through_mut(&self, place: &Expr) -> bool {
        self.outer_mut(place) || self.outer_field(place)
    }

    /// Whether `place` is a variable declared outside the body and known to be a standard
    /// container (see `captures::Mutable`): its `push` changes it. Not a field or an element
    /// of one, whose type the source does not show (a `Vec<SegQueue<_>>`'s `queues[i].push`
    /// takes `&self`); nor any variable when the function cannot be seen (the loop form), where
    /// a `log: &Log` may have a `push(&self)`. Rustc is asked about those instead (see
    /// `expand::changed_container`).
    fn outer_container(&self, place: &Expr) -> bool {
        let place = match place {
            Expr::Paren(paren) => &paren.expr,
            place => place,
        };
        matches!(place, Expr::Path(_))
            && self.outer_root(place).is_some_and(|root| {
                self.mutable
                    .is_some_and(|mutable| mutable.containers.contains(&root.to_string()))
            })
    }

    /// The written container of `place` if it is an element indexed by the loop's counter
    /// (`v` of `v[i]`, `self.rows` of `self.rows[i]`, in `for i in 0..n`), which the body has
    /// not bound again.
    fn own_element(&self, place: &Expr) -> Option<String> {
        let counter = self.counter.as_ref()?;
        match place {
            Expr::Index(index) if matches!(&*index.expr, Expr::Path(_) | Expr::Field(_)) => {
                let Expr::Path(by) = &*index.index else {
                    return None;
                };
                let rebound = self.scopes[1..].iter().any(|scope| scope.contains(counter));
                (by.path.is_ident(counter) && !rebound).then(|| written(&index.expr))
            }
            Expr::Paren(paren) => self.own_element(&paren.expr),
            _ => None,
        }
    }

    /// The place the loop's head uses (a `while let` loop) that `place` overlaps, with the
    /// variable at its root: one is a part of the other (`self.queue` and `self.queue.len`,
    /// `v` and `v[i]`), or they are reached through the same guard, which a closure captures
    /// whole. Two fields apart (`self.queue` used, `self.count` changed) do not overlap.
    fn used_by_head(&self, place: &Expr) -> Option<(String, String)> {
        let root = self.outer_root(place)?.to_string();
        let mut base = place;
        while let Expr::Index(index) = base {
            base = &index.expr;
        }
        let changed = segments(base).unwrap_or_else(|| vec![root.clone()]);
        let whole = self.guards.contains(&root);
        let used = self.head_uses.iter().find(|used| {
            used[0] == root && (whole || used.starts_with(&changed) || changed.starts_with(used))
        })?;
        Some((root, used.join(".")))
    }

    /// A change of `place` (`what`, at `at`) that the loop's head would race with.
    fn head_race(&mut self, at: impl ToTokens, place: &Expr, what: &str) -> bool {
        let Some((root, used)) = self.used_by_head(place) else {
            return false;
        };
        self.reported.insert(root);
        self.errors.error(
            at,
            format!(
                "cannot {what} in this parallel `while let` loop: its head uses `{used}` to take the next item while iterations run, so this is {race}\n{HEAD_HELP}",
                race = race(self.kind),
            ),
        );
        true
    }

    /// Each use, among the places the body `shares`, of a variable the head takes its items
    /// from mutably (whose change was not reported already): the head's `&mut` and the
    /// iterations' `&` would overlap.
    fn uses_of_taken(&mut self, head: &Expr, shares: &[Shared]) {
        let taken = taken_by(head, self.mutable.map(|mutable| &mutable.any));
        for Shared { place, .. } in shares {
            let Some(name) = self.outer_root(place).map(ToString::to_string) else {
                continue;
            };
            let Some(used) = segments(place) else {
                continue;
            };
            // Two fields apart (`st.q` taken, `st.limit` used) are captured apart, but not
            // through a guard, which a closure captures whole to call its `DerefMut`.
            let whole = self.guards.contains(&name);
            let overlap = |taken: &[String]| {
                taken.starts_with(&used) || used.starts_with(taken) || whole && taken[0] == name
            };
            let Some((_, how)) = taken.iter().find(|(taken, _)| overlap(taken)) else {
                continue;
            };
            if !self.reported.insert(name.clone()) {
                continue;
            }
            let place_text = written(place);
            self.errors.error(
                place,
                format!(
                    "cannot use `{place_text}` in this parallel `while let` loop: its head takes the next item with `{how}` while iterations run, so this is {race}\n{TAKEN_HELP}",
                    race = race(self.kind),
                ),
            );
        }
    }

    /// A change of a place the iterations share: `what` the body does (`assign to `n``), and,
    /// for a method or a macro, which one changes which place (`push`, `out`).
    fn refuse(&mut self, at: impl ToTokens, what: &str, changes: Option<(&str, &str)>) {
        self.refuse_with(at, what, changes, help(self.kind));
    }

    fn refuse_with(
        &mut self,
        at: impl ToTokens,
        what: &str,
        changes: Option<(&str, &str)>,
        help: &str,
    ) {
        let kind = self.kind;
        let why = match changes {
            None => format!("so this is {}", race(kind)),
            Some((by, place)) => format!("and `{by}` changes `{place}`: {}", race(kind)),
        };
        self.errors.error(
            at,
            format!(
                "cannot {what} in a parallel loop: {}, {why}\n{help}",
                at_once(kind)
            ),
        );
    }

    fn assigned(&mut self, place: &Expr) {
        if let Expr::Tuple(tuple) = place {
            return tuple.elems.iter().for_each(|elem| self.assigned(elem));
        }
        let what = format!("assign to `{}`", written(place));
        if self.head_race(place, place, &what) {
            return;
        }
        if self.outer_root(place).is_some() {
            match self.own_element(place) {
                // `v[i] = f(v[i])` over `0..v.len()`: each iteration means its own element.
                Some(elements) => {
                    let help = format!(
                        "help: to change each element in an iteration of its own, loop over the elements: `for x in {elements}.iter_mut()` (`.iter_mut().enumerate()` for the index too)"
                    );
                    self.refuse_with(place, &what, None, &help);
                }
                None => self.refuse(place, &what, None),
            }
        }
    }

    fn changed_by_method(&mut self, call: &syn::ExprMethodCall) {
        let method = call.method.to_string();
        let writing = WRITING.contains(&method.as_str());
        if !writing && !MUTATING.contains(&method.as_str()) {
            return;
        }
        let receiver = &call.receiver;
        let place_text = written(receiver);
        let name = &call.method;
        let at = quote::quote!(#receiver . #name);
        let what = format!("call `{place_text}.{method}(..)`");
        if self.head_race(&at, receiver, &what) {
            return;
        }
        let changed = if writing {
            self.changed_through_mut(receiver)
        } else {
            self.outer_container(receiver)
        };
        if changed {
            self.refuse(at, &what, Some((&method, &place_text)));
        }
    }

    /// `f(..)` of a parameter typed `FnMut` (see [`fn_mut_params`]), or of a variable holding a
    /// closure that changes what it captures (see [`fn_mut_locals`]): the call takes `&mut f`.
    fn called(&mut self, callee: &Expr) {
        let Some(name) = self.outer_root(callee) else {
            return;
        };
        if !matches!(callee, Expr::Path(_)) {
            return;
        }
        let name = name.to_string();
        let kind = self.kind;
        let instead = match self.fn_muts.get(&name) {
            None => return,
            // An async loop's iterations take turns on one task: an `Fn` need not be `Sync`.
            Some(Callable::Parameter) if kind == Kind::Async => {
                "take an `Fn` if it only reads what it captures"
            }
            Some(Callable::Parameter) => {
                "take an `Fn` (`Fn(..) + Sync`) if it only reads what it captures"
            }
            // Only the closure in scope at the loop (a variable the body shares), not a
            // function of the same name that a closure declared after the loop, or in another
            // block, does not hide.
            Some(Callable::Closure) if !self.shared_roots.contains(&name) => return,
            Some(Callable::Closure) => {
                "have the closure change only what it can share (an atomic such as `AtomicU64` instead of a number, a `Mutex` instead of a collection), which makes it an `Fn`"
            }
        };
        // In an async loop, a lock held across an `.await` would block the one thread that
        // runs the other iterations: the call's future is awaited after the guard is gone.
        let call = match kind {
            Kind::Thread => format!("`({name}.lock().unwrap())(..)`"),
            Kind::Async => format!(
                "`let step = ({name}.lock().unwrap())(..);`, then `step.await` (the guard dropped before the `.await`)"
            ),
        };
        self.errors.error(
            callee,
            format!(
                "cannot call `{name}` in a parallel loop: {}, and calling an `FnMut` changes it, so this is {}\n\
                 help: {instead}; or wrap it before the loop, `let {name} = std::sync::Mutex::new({name});` (for which it must be `Send`), and call it under the lock: {call}",
                at_once(kind),
                race(kind),
            ),
        );
    }

    /// `write!(destination, ..)` or `writeln!`: a `&mut` of the destination.
    fn written_to(&mut self, mac: &syn::Macro, destination: &Expr) {
        let place_text = written(destination);
        let at = &mac.path;
        let name = at.segments.last().map(|last| last.ident.to_string());
        let name = format!("{}!", name.unwrap_or_default());
        let what = format!("write to `{place_text}` with `{name}`");
        if self.head_race(at, destination, &what) {
            return;
        }
        if !self.changed_through_mut(destination) && !self.outer_mut_ref(destination) {
            return;
        }
        self.refuse(at, &what, Some((&name, &place_text)));
    }

    fn borrowed_mut(&mut self, reference: &syn::ExprReference) {
        if reference.mutability.is_none() {
            return;
        }
        let what = format!("borrow `{}` as mutable", written(&reference.expr));
        if self.head_race(reference, &reference.expr, &what) {
            return;
        }
        if !self.changed_through_mut(&reference.expr) {
            return;
        }
        self.refuse(reference, &what, None);
    }
}

/// A place as the user wrote it: `self.downloaded`, not `self . downloaded`.
fn written(place: &Expr) -> String {
    let text = place
        .to_token_stream()
        .to_string()
        .replace(" . ", ".")
        .replace(" [", "[")
        .replace("[ ", "[")
        .replace(" ]", "]");
    // `* sum`, `grid[* i]`: a dereference is written against what it dereferences.
    let text = text.replace("[* ", "[*").replace("(* ", "(*");
    match text.strip_prefix("* ") {
        Some(pointed) => format!("*{pointed}"),
        None => text,
    }
}

impl Visit<'_> for Races<'_> {
    fn visit_block(&mut self, block: &Block) {
        self.scopes.push(HashSet::new());
        for stmt in &block.stmts {
            match stmt {
                Stmt::Local(local) => {
                    if let Some(init) = &local.init {
                        self.visit_expr(&init.expr);
                        if let Some((_, diverge)) = &init.diverge {
                            self.visit_expr(diverge);
                        }
                    }
                    // In scope from the next statement on.
                    self.bind(&local.pat);
                }
                Stmt::Item(_) => {}
                Stmt::Expr(expr, _) => self.visit_expr(expr),
                Stmt::Macro(mac) => self.visit_macro(&mac.mac),
            }
        }
        self.scopes.pop();
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Assign(assign) => {
                self.assigned(&assign.left);
                visit::visit_expr_assign(self, assign);
            }
            Expr::Binary(binary) if is_compound_assignment(&binary.op) => {
                self.assigned(&binary.left);
                visit::visit_expr_binary(self, binary);
            }
            Expr::MethodCall(call) => {
                self.changed_by_method(call);
                visit::visit_expr_method_call(self, call);
            }
            Expr::Call(call) => {
                self.called(&call.func);
                visit::visit_expr_call(self, call);
            }
            Expr::Reference(reference) => {
                self.borrowed_mut(reference);
                visit::visit_expr_reference(self, reference);
            }
            Expr::Closure(closure) => {
                let inputs: Vec<&Pat> = closure.inputs.iter().collect();
                self.scoped(&inputs, |this| this.visit_expr(&closure.body));
            }
            Expr::ForLoop(inner) => {
                self.visit_expr(&inner.expr);
                self.scoped(&[&inner.pat], |this| this.visit_block(&inner.body));
            }
            Expr::If(branch) => {
                let pats = crate::find::let_patterns(&branch.cond);
                self.visit_expr(&branch.cond);
                self.scoped(&pats, |this| this.visit_block(&branch.then_branch));
                if let Some((_, otherwise)) = &branch.else_branch {
                    self.visit_expr(otherwise);
                }
            }
            Expr::While(inner) => {
                let pats = crate::find::let_patterns(&inner.cond);
                self.visit_expr(&inner.cond);
                self.scoped(&pats, |this| this.visit_block(&inner.body));
            }
            Expr::Match(branches) => {
                self.visit_expr(&branches.expr);
                for arm in &branches.arms {
                    self.scoped(&[&arm.pat], |this| {
                        if let Some((_, guard)) = &arm.guard {
                            this.visit_expr(guard);
                        }
                        this.visit_expr(&arm.body);
                    });
                }
            }
            // The pattern of an `if let` binds in its branch, handled above.
            Expr::Let(binding) => self.visit_expr(&binding.expr),
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_item(&mut self, _: &Item) {}

    // A macro's arguments are not known to be expressions, but for `write!` and `writeln!`,
    // which call `write_fmt(&mut self)` on their first argument.
    fn visit_macro(&mut self, mac: &syn::Macro) {
        let name = mac.path.segments.last().map(|last| last.ident.to_string());
        if !matches!(name.as_deref(), Some("write" | "writeln")) {
            return;
        }
        let Some(args) = crate::captures::expression_arguments(mac) else {
            return;
        };
        match args.first() {
            // `write!(&mut out, ..)`: the same `&mut` of `out`.
            Some(Expr::Reference(reference)) if reference.mutability.is_some() => {
                self.written_to(mac, &reference.expr);
            }
            Some(destination) => self.written_to(mac, destination),
            None => {}
        }
    }
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

/// What only an `FnMut` call can call, by its name: see [`fn_mut_callables`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Callable {
    /// A parameter typed `FnMut` (see [`fn_mut_params`]).
    Parameter,
    /// A variable holding a closure that changes what it captures (see [`fn_mut_locals`]).
    Closure,
}

/// The variables of the function that only an `FnMut` call can call.
pub(crate) fn fn_mut_callables(signature: &Signature, block: &Block) -> HashMap<String, Callable> {
    let parameters = fn_mut_params(signature, block)
        .into_iter()
        .map(|name| (name, Callable::Parameter));
    let closures = fn_mut_locals(signature, block)
        .into_iter()
        .map(|name| (name, Callable::Closure));
    parameters.chain(closures).collect()
}

/// The variables of the function (`signature` and `block`) that hold a closure which changes
/// what it captures: `let mut add = |x: u32| total += x;`. Only an `FnMut` call can call such a
/// closure, and a parallel loop's body calling one takes `&mut` of what its iterations share.
/// Only where the syntax shows it: the closure is the `let`'s own value, the binding is `mut`
/// (which rustc asks for only then), the closure assigns to a variable it does not bind, takes
/// `&mut` of one, or calls one of [`MUTATING`]'s methods on one, and no other pattern of the
/// function binds the name.
pub(crate) fn fn_mut_locals(signature: &Signature, block: &Block) -> HashSet<String> {
    /// Counts the names every pattern binds, and notes the `let mut` closures that change a
    /// capture.
    #[derive(Default)]
    struct Closures {
        bound: std::collections::HashMap<String, usize>,
        changing: Vec<String>,
    }
    impl Visit<'_> for Closures {
        fn visit_local(&mut self, local: &syn::Local) {
            if let (Pat::Ident(binding), Some(init)) = (&local.pat, &local.init) {
                let mut value = &*init.expr;
                while let Expr::Paren(inner) = value {
                    value = &inner.expr;
                }
                if binding.mutability.is_some()
                    && binding.by_ref.is_none()
                    && binding.subpat.is_none()
                    && init.diverge.is_none()
                    && matches!(value, Expr::Closure(closure) if changes_a_capture(closure))
                {
                    self.changing.push(binding.ident.to_string());
                }
            }
            visit::visit_local(self, local);
        }
        fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
            *self.bound.entry(binding.ident.to_string()).or_default() += 1;
            visit::visit_pat_ident(self, binding);
        }
        // An item's names are its own.
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut closures = Closures::default();
    for input in &signature.inputs {
        closures.visit_fn_arg(input);
    }
    closures.visit_block(block);
    let Closures { bound, changing } = closures;
    changing
        .into_iter()
        .filter(|name| bound.get(name) == Some(&1))
        .collect()
}

/// Whether `closure`'s body visibly changes a variable it does not bind itself (see
/// [`fn_mut_locals`]). Any name a pattern of the closure binds counts as its own.
fn changes_a_capture(closure: &syn::ExprClosure) -> bool {
    struct Bound(HashSet<String>);
    impl Visit<'_> for Bound {
        fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
            self.0.insert(binding.ident.to_string());
            visit::visit_pat_ident(self, binding);
        }
    }
    struct Changes<'b> {
        own: &'b HashSet<String>,
        found: bool,
    }
    impl Changes<'_> {
        fn captured(&self, place: &Expr) -> bool {
            let mut root = place;
            loop {
                root = match root {
                    Expr::Field(field) => &field.base,
                    Expr::Index(index) => &index.expr,
                    Expr::Paren(inner) => &inner.expr,
                    _ => break,
                };
            }
            matches!(root, Expr::Path(path) if path.qself.is_none()
                && path.path.get_ident().is_some_and(|name| !self.own.contains(&name.to_string())))
        }
    }
    impl Visit<'_> for Changes<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            self.found |= match expr {
                Expr::Assign(assign) => self.captured(&assign.left),
                Expr::Binary(binary) if is_compound_assignment(&binary.op) => {
                    self.captured(&binary.left)
                }
                Expr::Reference(reference) if reference.mutability.is_some() => {
                    self.captured(&reference.expr)
                }
                Expr::MethodCall(call) if MUTATING.contains(&call.method.to_string().as_str()) => {
                    self.captured(&call.receiver)
                }
                _ => false,
            };
            visit::visit_expr(self, expr);
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut own = Bound(HashSet::new());
    own.visit_expr_closure(closure);
    let mut changes = Changes {
        own: &own.0,
        found: false,
    };
    changes.visit_expr(&closure.body);
    changes.found
}

/// The parameters of `signature`, bound by name, that only an `FnMut` call can call: typed
/// `impl FnMut(..)`, `&mut dyn FnMut(..)` (or `&mut impl`), `Box<dyn FnMut(..)>`, or a type
/// parameter bounded by `FnMut` (in `<..>` or `where`). A parallel loop's body calling one
/// takes `&mut` of what its iterations share. Not a name that `block` binds anywhere, which
/// may hide the parameter where the loop is.
pub(crate) fn fn_mut_params(signature: &Signature, block: &Block) -> HashSet<String> {
    /// Whether `bounds` make a callable that only an `FnMut` call can call: an `FnMut`
    /// bound, and beside it only traits that cannot make it an `Fn` (with an `Fn` bound, or a
    /// trait of the user's that may have `Fn` for a supertrait, rustc may call it through
    /// `Fn`).
    fn fn_mut<'b>(bounds: impl Iterator<Item = &'b TypeParamBound>) -> bool {
        const BESIDE: &[&str] = &["FnMut", "Send", "Sync", "Unpin", "Sized", "Clone", "Copy"];
        let traits: Vec<String> = bounds
            .filter_map(|bound| match bound {
                TypeParamBound::Trait(bound) => bound
                    .path
                    .segments
                    .last()
                    .map(|last| last.ident.to_string()),
                _ => None,
            })
            .collect();
        traits.iter().any(|name| name == "FnMut")
            && traits.iter().all(|name| BESIDE.contains(&name.as_str()))
    }
    let generic = |name: &syn::Ident| {
        let in_params = signature
            .generics
            .type_params()
            .filter(move |param| param.ident == *name)
            .flat_map(|param| &param.bounds);
        let in_where = signature
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| &clause.predicates)
            .filter_map(move |predicate| match predicate {
                syn::WherePredicate::Type(bounded) => match &bounded.bounded_ty {
                    Type::Path(path) if path.qself.is_none() && path.path.is_ident(name) => {
                        Some(&bounded.bounds)
                    }
                    _ => None,
                },
                _ => None,
            })
            .flatten();
        fn_mut(in_params.chain(in_where))
    };
    fn called_mutably(ty: &Type, generic: &dyn Fn(&syn::Ident) -> bool) -> bool {
        match ty {
            Type::ImplTrait(bounded) => fn_mut(bounded.bounds.iter()),
            Type::TraitObject(bounded) => fn_mut(bounded.bounds.iter()),
            Type::Reference(reference) => {
                reference.mutability.is_some() && called_mutably(&reference.elem, generic)
            }
            Type::Paren(inner) => called_mutably(&inner.elem, generic),
            Type::Path(path) if path.qself.is_none() => {
                if let Some(name) = path.path.get_ident() {
                    return generic(name);
                }
                let last = path.path.segments.last().expect("a path has a segment");
                match &last.arguments {
                    syn::PathArguments::AngleBracketed(arguments) if last.ident == "Box" => {
                        arguments.args.iter().any(|argument| {
                            matches!(argument, syn::GenericArgument::Type(inner)
                                if called_mutably(inner, generic))
                        })
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
    let bound: HashSet<String> = block
        .stmts
        .iter()
        .flat_map(crate::changes::binds_in)
        .collect();
    signature
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(binding) if called_mutably(&typed.ty, &generic) => {
                    Some(binding.ident.to_string())
                }
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .filter(|name| !bound.contains(name))
        .collect()
}
