//! Whether a loop's input may hold a closure of the function that captures something.
//!
//! A thread loop's path is chosen while rustc type-checks the function, from the input's type
//! (see `failfast_runtime::rewrite`). Whether a closure of that same function is `Send` is only
//! known once rustc has type-checked the whole function, so while the path is chosen, an input
//! that holds such a closure looks `Send` whatever it captures, and the shared path would be
//! taken and then refused. A closure that captures nothing is `Send` and `Sync`; one that may
//! capture is not known to be. When the macro sees every closure of the input and the locals
//! they may capture, the rewrite checks those locals' types instead (they are known while the
//! path is chosen): the shared path when they are all `Send` and `Sync`. Otherwise the input
//! skips the shared path and is pulled by the calling thread (or split by index, which never
//! depends on a closure).
//!
//! The macro sees the function's source, not its types: this errs on the side of "may capture"
//! (a name that is bound anywhere in the function may be a captured local, and a macro it
//! cannot see into may write a closure), which only costs the shared path's speed, never a
//! compile error.

use proc_macro2::{Span, TokenStream, TokenTree};
use std::collections::{HashMap, HashSet};
use syn::visit::{self, Visit};
use syn::{Block, Expr, Item, Pat};

/// The locals of one function, as far as the source shows them.
pub(crate) struct Locals {
    /// How many patterns of the function (its parameters included) bind each name, and `self`.
    /// `None` when the function cannot be seen (the nightly loop form): then any lower-case name
    /// may be a local.
    bound: Option<HashMap<String, usize>>,
    /// The parameters and `let`s whose written type is `Send` and `Sync` whatever the program
    /// (`factor: u64`, `names: &[String]`, `let limit = 10;`), bound nowhere else: a closure may
    /// capture them and stay `Send`, so that `items.iter().map(|x| x * factor)` keeps the
    /// shared path.
    sure: HashSet<String>,
    /// The variables that are shared references or smart pointers (`&self`, `names: &[String]`,
    /// `self: Arc<Self>`, `let r = &s`, `let s = Arc::new(..)`), bound nowhere else: a closure
    /// that uses a field through one captures the variable itself.
    references: HashSet<String>,
    /// Those of `references` that hold an `Rc` (`shared: Rc<u32>`, `let s = Rc::new(..)`),
    /// neither `Send` nor `Sync`: an async loop lends them (see [`Used::lendable`]).
    counted: HashSet<String>,
    /// The locals whose value may hold a capturing closure of the function, found by following
    /// `let` and assignments: `let it = v.iter().filter(|x| seen.insert(*x)); for x in it`.
    holding: HashSet<String>,
    /// Each marked loop, and the variables in scope at it. Empty when the function cannot be
    /// seen.
    at_loops: Vec<AtLoop>,
    /// The `let`s whose type may still be partly unknown at the loop (`let mut seen =
    /// Vec::new();`, its items' type given by a later `push`): see
    /// [`Locals::captured_by_input`].
    unsettled: HashSet<String>,
    /// The `let`s whose type the loop's body may give, these among them (`let numbers =
    /// words.iter().map(|w| w.parse());`): see [`Locals::may_be_untyped`].
    untyped: HashSet<String>,
    /// The names the body's items and `use`s declare, in any of its blocks (see [`item_names`]
    /// and [`Locals::declares_any`]).
    declared: HashSet<String>,
    /// The parameters of a written number, `bool` or `char` type (`n: u64`), bound nowhere
    /// else: not an iterator, so a loop over one (`for i in n`, meant as `0..n`) is rustc's to
    /// report (see [`Locals::may_be_untyped`]).
    scalars: HashSet<String>,
    /// The names that may be variables: bound by a pattern of the function, or named in one of
    /// its statement macros, which may bind them (`let_it!(v = ..)`, `define!(v, ..)`). `None`
    /// when the function cannot be seen.
    variables: Option<HashSet<String>>,
}

impl Locals {
    /// See [`Locals::variables`](struct@Locals).
    pub(crate) fn variables(&self) -> Option<HashSet<String>> {
        self.variables.clone()
    }

    /// The locals of a function with these parameters and body.
    pub(crate) fn of_function(signature: &syn::Signature, body: &Block) -> Locals {
        let mut bound = Bound(HashMap::from([("self".to_string(), 1)]));
        let mut references = HashSet::new();
        let mut counted = HashSet::new();
        let mut sure = HashSet::new();
        let mut scalars = HashSet::new();
        for input in &signature.inputs {
            match input {
                syn::FnArg::Receiver(receiver) => {
                    // Only a shared reference: through a `&mut`, rustc captures the place.
                    if receiver.colon_token.is_some() && captured_whole(&receiver.ty)
                        || receiver.reference.is_some() && receiver.mutability.is_none()
                    {
                        references.insert("self".to_string());
                    }
                }
                syn::FnArg::Typed(typed) => {
                    bound.visit_pat(&typed.pat);
                    if let Pat::Ident(name) = &*typed.pat {
                        if captured_whole(&typed.ty) {
                            references.insert(name.ident.to_string());
                        }
                        if counted_type(&typed.ty) {
                            counted.insert(name.ident.to_string());
                        }
                    }
                    if let Pat::Ident(name) = &*typed.pat {
                        if send_and_sync(&typed.ty) {
                            sure.insert(name.ident.to_string());
                        }
                        if scalar(&typed.ty) {
                            scalars.insert(name.ident.to_string());
                        }
                    }
                }
            }
        }
        bound.visit_block(body);
        let mut typed = PlainLets(HashSet::new(), references.clone(), counted.clone());
        typed.visit_block(body);
        sure.extend(typed.0);
        references.extend(typed.1);
        counted.extend(typed.2);
        references.retain(|name| bound.0.get(name) == Some(&1));
        counted.retain(|name| references.contains(name));
        sure.retain(|name| bound.0.get(name) == Some(&1));
        scalars.retain(|name| bound.0.get(name) == Some(&1));
        let mut parameters_owning = HashMap::new();
        for input in &signature.inputs {
            if let syn::FnArg::Typed(typed) = input {
                owning_bindings(&typed.pat, Some(&typed.ty), &mut parameters_owning);
            }
        }
        let mut in_scope = InScope {
            scopes: vec![parameters(signature)],
            shadowed: vec![HashSet::new()],
            owning: vec![parameters_owning],
            at_loops: Vec::new(),
        };
        in_scope.visit_block(body);
        let mut unsettled = Unsettled(HashSet::new(), HashSet::new());
        unsettled.visit_block(body);
        let mut declared = Declared(HashSet::new());
        declared.visit_block(body);
        let variables = bound
            .0
            .keys()
            .cloned()
            .chain(body.stmts.iter().flat_map(crate::changes::binds_in))
            .collect();
        let mut locals = Locals {
            variables: Some(variables),
            bound: Some(bound.0),
            sure,
            references,
            counted,
            holding: HashSet::new(),
            at_loops: in_scope.at_loops,
            unsettled: unsettled.0,
            untyped: unsettled.1,
            declared: declared.0,
            scalars,
        };
        let mut values = Values(Vec::new());
        values.visit_block(body);
        // Until nothing changes: `let a = v.iter().map(|x| x + *n); let b = a.take(3);`.
        loop {
            let before = locals.holding.len();
            for (names, value) in &values.0 {
                if locals.may_hold_capturing_closure(value) {
                    locals.holding.extend(names.iter().cloned());
                }
            }
            if locals.holding.len() == before {
                return locals;
            }
        }
    }

    /// Nothing is known of the function (the nightly loop form).
    pub(crate) fn unknown() -> Locals {
        Locals {
            bound: None,
            sure: HashSet::new(),
            references: HashSet::new(),
            counted: HashSet::new(),
            holding: HashSet::new(),
            at_loops: Vec::new(),
            unsettled: HashSet::new(),
            untyped: HashSet::new(),
            declared: HashSet::new(),
            scalars: HashSet::new(),
            variables: None,
        }
    }

    /// Whether `ty` names something that an item or `use` in the function's body may declare:
    /// there, in the body, the name may be that item's rather than the one the signature
    /// means (`use std::fmt::Error;` in the body of a function returning `io::Error`).
    pub(crate) fn declares_any(&self, ty: &syn::Type) -> bool {
        struct Mentions<'a>(&'a HashSet<String>, bool);
        impl Visit<'_> for Mentions<'_> {
            fn visit_ident(&mut self, ident: &proc_macro2::Ident) {
                self.1 |= self.0.contains(&ident.to_string());
            }
        }
        let mut mentions = Mentions(&self.declared, false);
        mentions.visit_type(ty);
        mentions.1
    }

    /// Whether `closure` may capture a local: a name it uses and does not bind as a parameter
    /// is bound outside it in the function.
    fn may_capture(&self, closure: &syn::ExprClosure) -> bool {
        let mut names = Names::default();
        names.visit_expr_closure(closure);
        let mut inside = Bound(HashMap::new());
        inside.visit_expr_closure(closure);
        names.free.iter().any(|name| match &self.bound {
            Some(_) if self.sure.contains(name) => false,
            Some(bound) => bound.get(name) > inside.0.get(name),
            None => name == "self" || name.starts_with(|c: char| c.is_lowercase() || c == '_'),
        })
    }

    /// Whether `expr`'s type may still be partly unknown where the loop begins: it uses a
    /// local whose type a later use may give (see `untyped`), calls a function whose result
    /// type its caller picks, without a turbofish (`.map(|l| l.parse())` with
    /// `let n: u32 = parsed?` in the body; `str::parse`, `Vec::new` and the other
    /// [`CONTAINERS`]' constructors), uses a lower-case name that no pattern of the function
    /// binds (a typo, whose type rustc does not know, and which it reports itself), is a
    /// number parameter (`for i in n`: the items' type is unknown, and rustc reports the input),
    /// or the function is not known.
    pub(crate) fn may_be_untyped(&self, expr: &Expr) -> bool {
        let Some(bound) = &self.bound else {
            return true;
        };
        let scalar = |expr: &Expr| match expr {
            Expr::Path(path) => path
                .path
                .get_ident()
                .is_some_and(|name| self.scalars.contains(&name.to_string())),
            _ => false,
        };
        let input = match expr {
            Expr::Reference(reference) => &*reference.expr,
            expr => expr,
        };
        mentions_untyped(expr, &self.untyped) || mentions_unbound(expr, bound) || scalar(input)
    }

    /// Whether `expr` is seen to use a local whose type a later use may give, or to call a
    /// function whose result type its caller picks (what [`may_be_untyped`](Self::may_be_untyped)
    /// sees, where the function's locals are known).
    pub(crate) fn seen_untyped(&self, expr: &Expr) -> bool {
        self.bound.is_some() && mentions_untyped(expr, &self.untyped)
    }

    /// Whether `expr`'s value may hold a closure of this function that captures something: it
    /// writes one or an async block, calls a macro other than the standard ones that show their
    /// closures (see `SHOWS_ITS_CLOSURES`) or one of those with `|` or `async` among its tokens,
    /// or it uses a local that may hold one.
    pub(crate) fn may_hold_capturing_closure(&self, expr: &Expr) -> bool {
        let mut finder = Finder {
            locals: self,
            found: false,
        };
        finder.visit_expr(expr);
        finder.found
    }
}

impl Locals {
    /// The locals that the closures written in a loop's `input` may capture, when that is all
    /// that may hold a closure in it: then the rewrite checks their types (known while the
    /// loop's path is chosen, unlike the closures' `Send`) and keeps the shared path for an
    /// input whose closures capture only `Send` and `Sync` values. `None` when the input may
    /// hold a closure this cannot see through (a local holding one, an async block, a macro
    /// that may write one, a closure inside one of them) or may capture a name not known to be
    /// in scope at the loop.
    ///
    /// Every name a closure uses and may not bind itself counts, so the list may be longer than
    /// what rustc captures, never shorter: a local it lists in vain can only make the loop take
    /// the caller-fed path.
    pub(crate) fn captured_by_input(
        &self,
        input: &Expr,
        pat: &Pat,
        body: &Block,
    ) -> Option<Vec<String>> {
        let bound = self.bound.as_ref()?;
        let in_scope = self.names_at(pat, body)?;
        let mut closures = WrittenClosures {
            locals: self,
            found: Vec::new(),
            opaque: false,
        };
        closures.visit_expr(input);
        if closures.opaque {
            return None;
        }
        // A name bound in the input itself, outside its closures, is not the local of that name
        // in scope at the loop: `{ let k = Rc::new(1); v.iter().map(move |x| x + *k) }`.
        let mut in_input = Bound(HashMap::new());
        in_input.visit_expr(input);
        let mut names = std::collections::BTreeSet::new();
        for closure in closures.found {
            // A closure or async block inside it may be held by the input too (`flat_map`'s
            // inner iterator), with captures of its own that are not locals here.
            let mut nested = WrittenClosures {
                locals: self,
                found: Vec::new(),
                opaque: false,
            };
            nested.visit_expr(&closure.body);
            if nested.opaque || !nested.found.is_empty() {
                return None;
            }
            let mut used = Names::default();
            used.visit_expr_closure(closure);
            let mut inside = Bound(HashMap::new());
            inside.visit_expr_closure(closure);
            for name in used.free {
                let outer = bound.get(&name) > inside.0.get(&name);
                if !outer || self.sure.contains(&name) {
                    continue;
                }
                // A type still partly unknown when the path is chosen (`Vec<_>`) may turn out
                // not to be `Send` after it was taken to be.
                if !in_scope.contains(&name)
                    || in_input.0.get(&name) > inside.0.get(&name)
                    || self.holding.contains(&name)
                    || self.unsettled.contains(&name)
                {
                    return None;
                }
                names.insert(name);
            }
        }
        Some(names.into_iter().collect())
    }

    /// The variables declared outside a loop that its `body` uses (`seen`, `self`): the ones
    /// its closure captures, as far as the source shows them for sure. A place is checked
    /// before the loop by the rewrite, where a wrong one would break a program that compiles,
    /// while one left out is still checked by rustc, only with its own message: so only names
    /// that are certainly variables in scope at the loop count (bound by a parameter, a `let`
    /// before it or a pattern around it), and their fields (rustc captures a field alone,
    /// `names.all`, unless through a shared reference; the rewrite checks a field through a
    /// raw pointer, as `&` of a packed struct's field is refused), never a name only called
    /// (`max(..)` may be a function), a field inside `unsafe`, a name inside a macro other than the
    /// standard formatting ones and `log`'s and `tracing`'s (`kv!(size = x)` may not be an
    /// expression). Scopes are respected: a name the body binds is its own from there on.
    pub(crate) fn places_used(&self, pat: &Pat, body: &Block) -> Used {
        let Some(in_scope) = self.names_at(pat, body) else {
            return Used {
                shared: Vec::new(),
                moved: Vec::new(),
                returned: Vec::new(),
                moved_by_return: Vec::new(),
                moved_by_iteration: Vec::new(),
                lendable: Vec::new(),
            };
        };
        let mut places = Places {
            owning: self.owning_at(pat, body),
            locals: self,
            in_scope,
            scopes: vec![HashSet::new()],
            seen: HashMap::new(),
            found: Vec::new(),
            in_unsafe: false,
            own_flow: true,
            moved: Vec::new(),
            returned: Vec::new(),
            moved_by_return: Vec::new(),
            moved_by_iteration: Vec::new(),
            in_exit: false,
            aside: false,
            used: Vec::new(),
            used_whole: HashSet::new(),
            used_aside: HashSet::new(),
            closures_viewed: false,
            in_closure: false,
            at_body: true,
            in_macro_arguments: false,
            storing: false,
        };
        places.bind(pat);
        places.visit_block(body);
        let moved = std::mem::take(&mut places.moved);
        let returned = std::mem::take(&mut places.returned);
        let moved_by_return = std::mem::take(&mut places.moved_by_return);
        let moved_by_iteration = std::mem::take(&mut places.moved_by_iteration);
        let mut bound = Bound(HashMap::new());
        bound.visit_block(body);
        let mut declared = Declared(HashSet::new());
        declared.visit_block(body);
        let shadowed = self.shadowed_at(pat, body);
        let lendable = std::mem::take(&mut places.used)
            .into_iter()
            .filter(|name| {
                let name = name.to_string();
                // Bound once in the scopes around the loop: two variables of one spelling
                // (one of them written by a `macro_rules!`, with its own hygiene) would be
                // told apart by rustc, not by the macro, which would lend both as one.
                !shadowed.contains(&name)
                    && places.used_whole.contains(&name)
                    && !places.used_aside.contains(&name)
                    && !bound.0.contains_key(&name)
                    && !declared.0.contains(&name)
                    && (!self.references.contains(&name) || self.counted.contains(&name))
            })
            .collect();
        // A variable that the body also uses whole is captured whole: its fields are no
        // places of their own.
        let whole: HashSet<String> = places
            .found
            .iter()
            .filter_map(|shared| match &shared.place {
                Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
                _ => None,
            })
            .collect();
        places.found.retain(|Shared { place, .. }| {
            let mut root = place;
            while let Expr::Field(field) = root {
                root = &field.base;
            }
            !matches!(root, Expr::Path(path) if path.path.get_ident().is_some_and(|name| {
                !std::ptr::eq(root, place) && whole.contains(&name.to_string())
            }))
        });
        Used {
            shared: places.found,
            moved,
            returned,
            moved_by_return,
            moved_by_iteration,
            lendable,
        }
    }
}

impl Locals {
    /// The variables in scope at the marked loop with this pattern and body whose binding
    /// there is `mut`, or a parameter that is a `&mut` of a container (see
    /// [`mut_container`]): only those can have a method that changes them called. Scopes are
    /// followed as rustc does: `let out = Bag::default();` after an `out: &mut Vec<u32>`
    /// parameter, or `let mut input = BufReader::new(input);` after an `input: File` one,
    /// decide what `out` and `input` are at the loop. `None` when the function cannot be
    /// seen (the nightly loop form): any variable may be.
    pub(crate) fn mutable_at(&self, pat: &Pat, body: &Block) -> Option<Mutable> {
        self.bound.as_ref()?;
        let bindings = self.at_loop(pat, body).unwrap_or_default();
        let bound = |least: Binding| -> HashSet<String> {
            bindings
                .iter()
                .filter(|&(_, &kind)| kind >= least)
                .map(|(name, _)| name.clone())
                .collect()
        };
        Some(Mutable {
            any: bound(Binding::Mut),
            containers: bound(Binding::Container),
            written: bound(Binding::MutRef),
        })
    }

    /// The variables in scope at the marked loop with this pattern and body whose name is
    /// bound more than once around it, at any of the loops written alike (see
    /// [`AtLoop::shadowed`]).
    fn shadowed_at(&self, pat: &Pat, body: &Block) -> HashSet<String> {
        let key = loop_key(pat, body);
        self.at_loops
            .iter()
            .filter(|at| at.key == key)
            .flat_map(|at| at.shadowed.iter().cloned())
            .collect()
    }

    /// The variables in scope at the marked loop with this pattern and body (see
    /// [`at_loop`](Self::at_loop)).
    fn names_at(&self, pat: &Pat, body: &Block) -> Option<HashSet<String>> {
        Some(self.at_loop(pat, body)?.into_keys().collect())
    }

    /// The variables in scope at the marked loop with this pattern and body whose binding
    /// there has a written standard owning type, with its name (see [`AtLoop::owning`]): what
    /// holds at every loop written alike.
    fn owning_at(&self, pat: &Pat, body: &Block) -> HashMap<String, String> {
        let key = loop_key(pat, body);
        let mut matching = self.at_loops.iter().filter(|at| at.key == key);
        let Some(first) = matching.next() else {
            return HashMap::new();
        };
        let mut all = first.owning.clone();
        for other in matching {
            all.retain(|name, ty| other.owning.get(name) == Some(ty));
        }
        all
    }

    /// The variables in scope at the marked loop with this pattern and body, each with how it
    /// is bound there; `None` if there is no such loop. Two loops written alike cannot be told
    /// apart: what holds at both.
    fn at_loop(&self, pat: &Pat, body: &Block) -> Option<HashMap<String, Binding>> {
        let key = loop_key(pat, body);
        let mut matching = self.at_loops.iter().filter(|at| at.key == key);
        let mut both = matching.next()?.bindings.clone();
        for other in matching {
            both.retain(|name, kind| match other.bindings.get(name) {
                Some(&there) => {
                    *kind = (*kind).min(there);
                    true
                }
                None => false,
            });
        }
        Some(both)
    }
}

/// The variables in scope at a loop that its body could change, by how (see
/// [`Locals::mutable_at`]).
#[derive(Clone, Default)]
pub(crate) struct Mutable {
    /// Bound `mut`, or a `&mut` of a container: a `&mut` of one, `write!` to one, and a
    /// writer's or reader's methods change it.
    pub(crate) any: HashSet<String>,
    /// Those of them known to be standard containers (`let mut v = Vec::new()`, `out: &mut
    /// Vec<u32>`): their changing methods (`push`) take `&mut self`, where a type of the
    /// user's own may have a `push(&self)`.
    pub(crate) containers: HashSet<String>,
    /// Those of `any`, and the parameters that are a `&mut` of a writer (see
    /// [`Binding::MutRef`]): `write!` to one changes it.
    pub(crate) written: HashSet<String>,
}

/// A marked loop, found by its pattern and body (see [`loop_key`]), and what the function
/// declares where it is.
struct AtLoop {
    key: String,
    /// The variables in scope at it (the ones its body may share), each with how its binding
    /// in scope there is bound (see [`Locals::mutable_at`]).
    bindings: HashMap<String, Binding>,
    /// Those of them whose name is bound more than once in the scopes around it (`let x = 1;
    /// let x = x + 1;`): rustc may tell two such variables apart where the macro cannot, by
    /// the hygiene of a `macro_rules!` that wrote the function (see [`Used::lendable`]).
    shadowed: HashSet<String>,
    /// Those of them whose binding in scope there has a written standard owning type (`name:
    /// Option<String>`, `let words: Vec<String> = ..`), with that type's name (see
    /// [`owning_type`]).
    owning: HashMap<String, String>,
}

/// A marked loop's identity between the macro's walks: its pattern and body as written.
fn loop_key(pat: &Pat, body: &Block) -> String {
    quote::quote!(#pat #body).to_string()
}

/// How a variable is bound, as far as changing it goes.
/// Ordered by what the body may do with it: where two loops cannot be told apart, the lesser
/// of the two holds at both.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Binding {
    /// Not `mut`: the body cannot change it through a method (only through what it points to).
    Plain,
    /// A parameter that is a `&mut` of a writer (see [`mut_writer`]), not `mut` itself:
    /// `write!` to it changes what it points to, where another method may not (a concurrent
    /// queue's `push(&self)`).
    MutRef,
    /// `mut`, of a type the source does not show.
    Mut,
    /// `mut` and a standard container (`let mut v = Vec::new()`, `out: &mut Vec<u32>`), whose
    /// changing methods all take `&mut self`.
    Container,
}

/// The names that `pat` certainly binds: lower-case ones (a capitalized name in a pattern may
/// be a unit variant, struct or constant: `None`), each with how. Not `#[async_trait]`'s `let
/// mut __self = self;` for a `&mut self` method: `self` is not `mut` where the user wrote it.
/// `container`: the value is known to be a standard container (a `let`'s type or value).
fn bindings_mut(pat: &Pat, container: bool) -> impl Iterator<Item = (String, Binding)> {
    struct Kinds(HashMap<String, Binding>, bool);
    impl Visit<'_> for Kinds {
        fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
            let mutable = binding.mutability.is_some() && binding.ident != "__self";
            let kind = match (mutable, self.1) {
                (false, _) => Binding::Plain,
                (true, false) => Binding::Mut,
                (true, true) => Binding::Container,
            };
            self.0.insert(binding.ident.to_string(), kind);
            visit::visit_pat_ident(self, binding);
        }
    }
    // Only a pattern that binds the whole value (`mut v`, `mut v: Vec<u32>`) is the container.
    let whole = matches!(pat, Pat::Ident(_))
        || matches!(pat, Pat::Type(typed) if matches!(&*typed.pat, Pat::Ident(_)));
    let mut names = Kinds(HashMap::new(), container && whole);
    names.visit_pat(pat);
    names
        .0
        .into_iter()
        .filter(|(name, _)| name.starts_with(|c: char| c.is_lowercase() || c == '_'))
}

/// The variables of a function's signature, `self` and its parameters' bindings, each with
/// how it is bound (a `&mut` of a container counts as a `mut` container).
fn parameters(signature: &syn::Signature) -> HashMap<String, Binding> {
    let mut names = HashMap::new();
    for input in &signature.inputs {
        match input {
            syn::FnArg::Receiver(_) => {
                names.insert("self".to_string(), Binding::Plain);
            }
            syn::FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(binding) if mut_container(&typed.ty) => {
                    names.insert(binding.ident.to_string(), Binding::Container);
                }
                Pat::Ident(binding)
                    if binding.mutability.is_none() && mut_writer(&typed.ty, signature) =>
                {
                    names.insert(binding.ident.to_string(), Binding::MutRef);
                }
                pat => names.extend(bindings_mut(pat, container_type(&typed.ty))),
            },
        }
    }
    names
}

/// Whether a `let`'s written type or value shows a standard container: `Vec<u32>`, `[u8; 4]`,
/// `Vec::new()`, `HashMap::with_capacity(n)`, `vec![..]`, `format!(..)`, `[0; n]`,
/// `s.to_string()`, `v.to_vec()`, `it.collect::<Vec<_>>()`.
fn container_let(local: &syn::Local) -> bool {
    if let Pat::Type(typed) = &local.pat {
        return container_type(&typed.ty);
    }
    let Some(init) = &local.init else {
        return false;
    };
    match &*init.expr {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => {
                let segments = &path.path.segments;
                segments.len() >= 2
                    && CONTAINERS
                        .iter()
                        .any(|name| segments[segments.len() - 2].ident == name)
            }
            _ => false,
        },
        Expr::Macro(mac) => makes_owned_value(&mac.mac),
        Expr::Array(_) | Expr::Repeat(_) => true,
        Expr::MethodCall(call) => match call.method.to_string().as_str() {
            "to_vec" | "to_string" | "into_bytes" => call.args.is_empty(),
            "collect" => call.turbofish.as_ref().is_some_and(|turbofish| {
                matches!(turbofish.args.first(), Some(syn::GenericArgument::Type(ty)) if container_type(ty))
            }),
            _ => false,
        },
        _ => false,
    }
}

/// Whether a written type is a standard container, an array or a slice.
fn container_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Array(_) | syn::Type::Slice(_) => true,
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| CONTAINERS.iter().any(|name| last.ident == name)),
        _ => false,
    }
}

/// The standard library's containers, whose changing methods all take `&mut self`.
const CONTAINERS: &[&str] = &[
    "Vec",
    "VecDeque",
    "String",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "LinkedList",
];

/// Whether a parameter's type is a `&mut` of a slice, an array or one of the [`CONTAINERS`]: the body
/// can change it only through that `&mut`, which its iterations would share, as it changes a
/// `let mut` local (`out.push(x)` with `out: &mut Vec<u32>`). Not any `&mut`: a concurrent
/// queue's or map's `push(&self)` works through one.
fn mut_container(ty: &syn::Type) -> bool {
    let syn::Type::Reference(reference) = ty else {
        return false;
    };
    reference.mutability.is_some() && container_type(&reference.elem)
}

/// Whether a parameter's type is a `&mut` of a writer whose `write_fmt` takes `&mut self`: an
/// `impl Trait` or `dyn Trait`, a type parameter of the function (whose methods are its
/// bounds'), or one of the standard library's writers. Not a type of the user's own, which may
/// have a `write_fmt(&self)` of its own (a logger behind a lock).
fn mut_writer(ty: &syn::Type, signature: &syn::Signature) -> bool {
    let syn::Type::Reference(reference) = ty else {
        return false;
    };
    if reference.mutability.is_none() {
        return false;
    }
    match &*reference.elem {
        syn::Type::ImplTrait(_) | syn::Type::TraitObject(_) => true,
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            let type_parameter = path.path.segments.len() == 1
                && signature
                    .generics
                    .type_params()
                    .any(|param| param.ident == last.ident);
            type_parameter || WRITERS.iter().any(|name| last.ident == name)
        }
        _ => false,
    }
}

/// The standard library's writers (`io::Write` or `fmt::Write`).
const WRITERS: &[&str] = &[
    "String",
    "Vec",
    "File",
    "Formatter",
    "Stdout",
    "Stderr",
    "StdoutLock",
    "StderrLock",
    "BufWriter",
    "LineWriter",
    "Cursor",
    "TcpStream",
    "ChildStdin",
    "Sink",
];

/// Records the variables in scope at each marked loop of a function.
struct InScope {
    /// The variables bound so far, each with how (see [`Binding`]), innermost scope last.
    scopes: Vec<HashMap<String, Binding>>,
    /// For each scope, the written standard owning type of each name it binds, if it has one
    /// (see [`owning_type`]).
    owning: Vec<HashMap<String, Option<String>>>,
    /// For each scope, the names it binds that were bound already (see [`AtLoop::shadowed`]).
    shadowed: Vec<HashSet<String>>,
    at_loops: Vec<AtLoop>,
}

impl InScope {
    fn scoped(&mut self, pats: &[&Pat], f: impl FnOnce(&mut Self)) {
        self.scopes.push(HashMap::new());
        self.shadowed.push(HashSet::new());
        self.owning.push(HashMap::new());
        for pat in pats {
            self.bind(bindings_mut(pat, false));
            self.own(pat, None);
        }
        f(self);
        self.scopes.pop();
        self.shadowed.pop();
        self.owning.pop();
    }

    /// Notes the written owning types of what `pat` binds in the innermost scope: of a
    /// parameter (`ty`), or of a `let name: Ty`.
    fn own(&mut self, pat: &Pat, ty: Option<&syn::Type>) {
        let scope = self.owning.last_mut().expect("in a scope");
        owning_bindings(pat, ty, scope);
    }

    /// Binds `names` in the innermost scope.
    fn bind(&mut self, names: impl Iterator<Item = (String, Binding)>) {
        for (name, kind) in names {
            if self.scopes.iter().any(|scope| scope.contains_key(&name)) {
                self.shadowed
                    .last_mut()
                    .expect("one per scope")
                    .insert(name.clone());
            }
            self.scopes
                .last_mut()
                .expect("in a scope")
                .insert(name, kind);
        }
    }

    /// A marked loop is here.
    fn at_loop(&mut self, pat: &Pat, body: &Block) {
        // Outermost first, so that an inner binding of a name decides what it is.
        let mut names = HashMap::new();
        for scope in &self.scopes {
            names.extend(scope.iter().map(|(name, kind)| (name.clone(), *kind)));
        }
        let mut owning = HashMap::new();
        for scope in &self.owning {
            owning.extend(scope.iter().map(|(name, ty)| (name.clone(), ty.clone())));
        }
        self.at_loops.push(AtLoop {
            key: loop_key(pat, body),
            bindings: names,
            shadowed: self.shadowed.iter().flatten().cloned().collect(),
            owning: owning
                .into_iter()
                .filter_map(|(name, ty)| Some((name, ty?)))
                .collect(),
        });
    }
}

impl Visit<'_> for InScope {
    fn visit_block(&mut self, block: &Block) {
        self.scoped(&[], |this| {
            for stmt in &block.stmts {
                match stmt {
                    syn::Stmt::Local(local) => {
                        if let Some(init) = &local.init {
                            this.visit_expr(&init.expr);
                            if let Some((_, diverge)) = &init.diverge {
                                this.visit_expr(diverge);
                            }
                        }
                        this.bind(bindings_mut(&local.pat, container_let(local)));
                        this.own(&local.pat, None);
                    }
                    syn::Stmt::Item(_) | syn::Stmt::Macro(_) => {}
                    syn::Stmt::Expr(expr, _) => this.visit_expr(expr),
                }
            }
        });
    }

    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Closure(closure) => {
                let inputs: Vec<&Pat> = closure.inputs.iter().collect();
                self.scoped(&inputs, |this| this.visit_expr(&closure.body));
            }
            Expr::ForLoop(inner) => {
                self.visit_expr(&inner.expr);
                if inner.attrs.iter().any(crate::find::is_marker) {
                    self.at_loop(&inner.pat, &inner.body);
                }
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
                if crate::find::is_while_let(&inner.cond)
                    && inner.attrs.iter().any(crate::find::is_marker)
                {
                    // The pattern the loop is described with (a let chain's is built).
                    let (pat, _, body) = crate::find::while_let_head(&inner.cond, &inner.body);
                    self.at_loop(&pat, &body);
                }
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
            Expr::Let(binding) => self.visit_expr(&binding.expr),
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_item(&mut self, _: &Item) {}
}

struct Places<'a> {
    locals: &'a Locals,
    /// The variables in scope at the loop whose binding there has a written standard owning
    /// type (see [`Locals::owning_at`]).
    owning: HashMap<String, String>,
    /// The variables in scope at the loop.
    in_scope: HashSet<String>,
    /// The names bound inside the body, innermost scope last.
    scopes: Vec<HashSet<String>>,
    /// Each place found, as written, and where it is in `found`.
    seen: HashMap<String, usize>,
    found: Vec<Shared>,
    /// Inside an `unsafe` block: a variable counts, a field does not (see [`Places::place`]).
    in_unsafe: bool,
    /// In the loop's own flow, where a `return` leaves the function: not inside a closure or
    /// async block of the body.
    own_flow: bool,
    /// The variables from outside the body that a `return` (or a `?`) of its own flow moves
    /// out, as written there (see [`moved_out`]).
    moved: Vec<syn::Ident>,
    /// See [`Used::returned`].
    returned: Vec<Expr>,
    /// See [`Used::moved_by_return`].
    moved_by_return: Vec<Expr>,
    /// The places from outside the body that its own flow moves out by value, each as first
    /// written (see [`Used::moved_by_iteration`]).
    moved_by_iteration: Vec<Expr>,
    /// Inside a `return`'s value or a `?`'s operand, whose moves `moved` notes.
    in_exit: bool,
    /// Inside code of the body that may run elsewhere than its own flow, or that the macro
    /// does not see as written: a closure, an async block, a macro call, an `unsafe` block, a
    /// marked (parallel) loop (see [`Used::lendable`]).
    aside: bool,
    /// The variables from outside the body that it uses, each as first written there.
    used: Vec<syn::Ident>,
    /// Those of them that it uses whole somewhere (not only through fields).
    used_whole: HashSet<String>,
    /// Those of them that it uses in code [`aside`](Self::aside).
    used_aside: HashSet<String>,
    /// In the body's own flow, in a statement that a view of each lent variable may be taken
    /// around (see [`views_closures`]): a closure there is not aside.
    closures_viewed: bool,
    /// Inside such a closure: its macros are aside (the rewrite reaches into them only with a
    /// holder, which a closure must not capture).
    in_closure: bool,
    /// Until the body's block is visited.
    at_body: bool,
    /// In the arguments of a macro that lends them (through views, see `expand::LentUses`).
    in_macro_arguments: bool,
    /// The expression visited next may be stored beyond its statement (see
    /// [`Places::stores`]): a closure there is not lent views.
    storing: bool,
}

impl Places<'_> {
    /// Whether a call stores its arguments beyond the statement, as far as the name shows:
    /// then an edition-2018 closure among them, which borrows the view itself, would outlive
    /// it (`fs.push(Box::new(|| hits.get()))`). A method or function that keeps its argument
    /// (`push`, `insert`, `send`, `spawn`), or a constructor whose value may be kept
    /// (`Box::new`, `Some`, a tuple struct's name); not one that calls it and returns
    /// (`apply(|| ..)`, `iter::repeat_with(|| ..)` consumed in the statement).
    fn stores(called: &str) -> bool {
        const KEEP: &[&str] = &[
            "push",
            "push_back",
            "push_front",
            "insert",
            "extend",
            "append",
            "set",
            "replace",
            "send",
            "try_send",
            "spawn",
            "spawn_blocking",
            "spawn_local",
            "register",
            "add",
            "store",
            "swap",
            "new",
            "from",
            "pin",
        ];
        KEEP.contains(&called) || called.starts_with(|c: char| c.is_ascii_uppercase())
    }
}

/// The standard owning types with an `IntoIterator` of their own, by value (see
/// [`consumes_receiver`]).
const ITERABLE: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "VecDeque",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "LinkedList",
];

/// Whether a method called `method` with `arguments` arguments takes `self` by value on a
/// value of the standard type `owning` (see [`owning_type`]): one of its `into_` conversions
/// (`into_iter` only where the type has an `IntoIterator` of its own), or `Option`'s and
/// `Result`'s `unwrap` and `expect` families. An iteration calling one on a variable
/// declared outside the loop moves it out, which a sequential loop cannot do in every
/// iteration either (see [`Used::moved_by_iteration`]); rustc would say so as a move out of
/// the body's closure.
fn consumes_receiver(method: &str, arguments: usize, owning: &str) -> bool {
    let fallible = matches!(owning, "Option" | "Result");
    match method {
        "unwrap" | "unwrap_or_default" | "unwrap_err" => fallible && arguments == 0,
        "expect" | "expect_err" | "unwrap_or" | "unwrap_or_else" => fallible && arguments == 1,
        // Through `&T`'s impl when `T` has none of its own (a `PathBuf`'s).
        "into_iter" => ITERABLE.contains(&owning),
        // The standard types' own conversions only: a user's extension trait may add an
        // `into_key(&self)` to a `String`.
        _ => CONVERSIONS.contains(&method) && arguments == 0,
    }
}

/// The `into_` methods of the types of [`owning_type`] that take `self`, but `into_iter`.
const CONVERSIONS: &[&str] = &[
    "into_keys",
    "into_values",
    "into_boxed_slice",
    "into_flattened",
    "into_vec",
    "into_sorted_vec",
    "into_bytes",
    "into_boxed_str",
    "into_chars",
    "into_string",
    "into_os_string",
    "into_encoded_bytes",
    "into_boxed_os_str",
    "into_boxed_path",
];

/// Notes in `scope` each name `pat` binds, with the written owning type of a name bound alone
/// with one (`name: Option<String>`, as a `let`'s pattern or a parameter's with its `ty`), or
/// none.
fn owning_bindings(pat: &Pat, ty: Option<&syn::Type>, scope: &mut HashMap<String, Option<String>>) {
    struct Names<'s>(&'s mut HashMap<String, Option<String>>);
    impl Visit<'_> for Names<'_> {
        fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
            self.0.insert(binding.ident.to_string(), None);
            visit::visit_pat_ident(self, binding);
        }
    }
    let (pat, ty) = match (pat, ty) {
        (Pat::Type(typed), _) => (&*typed.pat, Some(&*typed.ty)),
        (pat, ty) => (pat, ty),
    };
    match (pat, ty) {
        (Pat::Ident(name), Some(ty)) if name.by_ref.is_none() && name.subpat.is_none() => {
            scope.insert(name.ident.to_string(), owning_type(ty));
        }
        _ => Names(scope).visit_pat(pat),
    }
}

/// The name of a written standard owning type (`Option<String>`, `std::vec::Vec<u8>`,
/// `PathBuf`), whose methods the macro knows: see [`consumes_receiver`]. Not a user's type,
/// whose `unwrap` may take `&self`, nor a pointer or a guard, through which a call may copy
/// out what it points to.
fn owning_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Paren(paren) => owning_type(&paren.elem),
        // Written as the prelude's, or by a path through the standard library: not a type of
        // the user's own named alike (`api::Result`).
        syn::Type::Path(path)
            if path.qself.is_none()
                && (path.path.segments.len() == 1
                    || ["std", "core", "alloc"]
                        .iter()
                        .any(|root| path.path.segments[0].ident == root)) =>
        {
            let last = path.path.segments.last()?.ident.to_string();
            let owning = ITERABLE.contains(&last.as_str())
                || matches!(last.as_str(), "String" | "PathBuf" | "OsString");
            owning.then_some(last)
        }
        _ => None,
    }
}

/// What a loop's body uses from outside it (see [`Locals::places_used`]).
pub(crate) struct Used {
    /// The places its iterations share.
    pub(crate) shared: Vec<Shared>,
    /// The variables a `return` or `?` of the body's own flow moves out by value, as written
    /// there (`return Ok(fallback)`): each iteration that reaches it would move the one value
    /// the iterations share, which only a `Copy` value allows.
    pub(crate) moved: Vec<syn::Ident>,
    /// The values of the `return`s of the body's own flow, whose parts `moved` notes: where
    /// one holds a `&mut` from outside as it is, into a written `&mut` of the exit, that `&mut`
    /// is handed back, not reborrowed (see `model::handed_back`).
    pub(crate) returned: Vec<Expr>,
    /// The places from outside the body that a `return` or `?` of its own flow moves out and
    /// that `moved` leaves out: a field of a variable (`return Ok(cfg.name)`), and a variable
    /// of a written standard type whose method called there takes `self` (see
    /// [`consumes_receiver`]: `return Ok(name.into_bytes())`). Each as first written.
    pub(crate) moved_by_return: Vec<Expr>,
    /// The places from outside the body (a variable, or a field of one: `owned`,
    /// `cfg.name`) that its own flow, outside a `return` or `?`, moves out by value, as far as
    /// the syntax shows: a call's or a method's argument, a `let`'s or an assignment's value,
    /// an element of a tuple, array or struct literal (`take(owned)`, `let v = cfg.name;`).
    /// Every iteration that gets there would move the one value the iterations share, which
    /// only a `Copy` value allows (and a sequential loop only before it leaves). Not inside a
    /// closure, an async block, a macro call or `unsafe`. Also a variable of a written
    /// standard type whose method called there takes `self` (see [`consumes_receiver`]).
    pub(crate) moved_by_iteration: Vec<Expr>,
    /// The variables from outside the body that an async loop may lend its iterations (see
    /// `failfast_runtime::rewrite::lent`), each as first written in the body: every use of
    /// them is the body's own flow (never inside a closure, an async block, a macro call, an
    /// `unsafe` block or a marked loop, which may run on another thread or use it unseen), one
    /// use at least is of the whole variable (one used only through fields, `cfg.limit`, is
    /// captured field by field, which a loan of the whole would change), the scopes around the
    /// loop bind the name once only (so that each use found is that variable's, whatever the
    /// hygiene of a `macro_rules!` that wrote the function), and it is not known to be a
    /// shared reference or smart pointer (which is `Send` only when what it points to is
    /// `Sync`, lent or not: `&self` is not lent, `&mut self` and `self` are, where no closure
    /// uses them, their views in macros' arguments named `this`, as none can be `self`),
    /// other than an `Rc`: neither `Send` nor `Sync`, it makes the loop's future not `Send`
    /// whether lent or not, but lent, rustc reports only what it reports of the sequential
    /// loop (the `Rc` held across an `.await`), not also the `&Rc` in each iteration's future.
    pub(crate) lendable: Vec<syn::Ident>,
}

/// Whether a `let` with pattern `pat` moves its whole value: a name bound by value
/// (`let v = ..`, `let v: T = ..`). A pattern that takes parts (`let (n, _) = pair`,
/// `let Limits { max, .. } = limits`) moves only those, which may be `Copy`; `ref` moves
/// nothing.
pub(crate) fn binds_whole(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(binding) => binding.by_ref.is_none() && binding.subpat.is_none(),
        Pat::Type(typed) => binds_whole(&typed.pat),
        _ => false,
    }
}

/// Whether `expr` is a variable or a field of one (`seen`, `names.all`).
fn is_place(expr: &Expr) -> bool {
    place_root(expr).is_some()
}

/// The variable of `expr`, if it is a variable or a field of one (`names` of `names.all`).
pub(crate) fn place_root(expr: &Expr) -> Option<&syn::Ident> {
    let mut root = expr;
    while let Expr::Field(field) = root {
        root = &field.base;
    }
    match root {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        _ => None,
    }
}

/// The bare variables that `value` moves out by value, as far as the syntax shows (see
/// [`moved_parts`]), and the error that a macro making or returning one moves out (see
/// [`error_moved`]).
fn moved_out(value: &Expr) -> Vec<syn::Ident> {
    let mut value = value.clone();
    let mut names = Vec::new();
    moved_parts(&mut value, &mut |part| names.extend(moved_name(part)));
    names
}

/// The variable that a part of an exit moves out (see [`moved_parts`]): the part itself, or
/// the error of a macro making one (`anyhow!(e)`, see [`error_moved`]).
fn moved_name(part: &Expr) -> Option<syn::Ident> {
    match part {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
        Expr::Macro(mac) => error_moved(&mac.mac),
        _ => None,
    }
}

/// The parts of `value` that it moves out by value and that may be a variable, as far as the
/// syntax shows: the value itself, and the arguments of a call (`Ok(x)`, `Some(x)`, `f(x)`) or
/// method call, the elements of a tuple or array, and the fields of a struct literal,
/// recursively; each a path with no `<..>::` or a macro call. Not a method's receiver (which
/// autoref borrows), or anything under `&`.
pub(crate) fn moved_parts(value: &mut Expr, part: &mut dyn FnMut(&mut Expr)) {
    match value {
        Expr::Path(path) if path.qself.is_none() => part(value),
        Expr::Macro(_) => part(value),
        Expr::Field(_) if place_root(value).is_some() => part(value),
        Expr::Call(call) => call.args.iter_mut().for_each(|arg| moved_parts(arg, part)),
        Expr::MethodCall(call) => call.args.iter_mut().for_each(|arg| moved_parts(arg, part)),
        Expr::Tuple(tuple) => tuple
            .elems
            .iter_mut()
            .for_each(|elem| moved_parts(elem, part)),
        Expr::Array(array) => array
            .elems
            .iter_mut()
            .for_each(|elem| moved_parts(elem, part)),
        Expr::Struct(record) => {
            for field in &mut record.fields {
                // A shorthand field (`Found { path }`) is written out, so that a part replaced
                // by `part` is printed.
                field.colon_token.get_or_insert_with(Default::default);
                moved_parts(&mut field.expr, part);
            }
        }
        Expr::Paren(paren) => moved_parts(&mut paren.expr, part),
        Expr::Group(group) => moved_parts(&mut group.expr, part),
        _ => {}
    }
}

/// The variable that a macro making or returning an error moves out by value (see
/// [`error_argument`]).
fn error_moved(mac: &syn::Macro) -> Option<syn::Ident> {
    let (args, at) = error_argument(mac)?;
    match &args[at] {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
        _ => None,
    }
}

/// The arguments of a macro making or returning an error, with where the error is among
/// them, when the macro moves it out by value: anyhow's and eyre's `anyhow!(e)`, `bail!(e)`
/// and `ensure!(cond, e)` with the error as their one argument (with a format string they
/// only borrow).
pub(crate) fn error_argument(
    mac: &syn::Macro,
) -> Option<(syn::punctuated::Punctuated<Expr, syn::Token![,]>, usize)> {
    let name = mac.path.segments.last()?.ident.to_string();
    let args = expression_arguments(mac)?;
    let at = match (name.as_str(), args.len()) {
        ("anyhow" | "eyre" | "bail" | "format_err", 1) => 0,
        ("ensure", 2) => 1,
        _ => return None,
    };
    Some((args, at))
}

/// A place a loop's body shares (see [`Locals::places_used`]).
pub(crate) struct Shared {
    /// A variable, or a field of one (`names.all`).
    pub(crate) place: Expr,
    /// Whether the variable is a reference that the body uses only through its fields
    /// (`self.hits`): rustc captures the reference, and so shares the whole value.
    pub(crate) through_a_field: bool,
    /// Whether the variable may hold a closure of the function (`let bump = |n| n +
    /// hits.get();`): rustc's report names what the closure captures, where a report of the
    /// variable would name only `{closure@..}`.
    pub(crate) holds_closure: bool,
}

impl Places<'_> {
    /// The variables from outside the body that a macro it cannot see into (`kv!(size = x)`)
    /// may use: aside, for all it knows.
    fn used_opaquely(&mut self, mac: &syn::Macro) {
        for name in idents(mac.tokens.clone()) {
            if self.is_outside_local(&name) {
                self.used_aside.insert(name);
            }
        }
    }

    fn is_outside_local(&self, name: &str) -> bool {
        !self.scopes.iter().any(|scope| scope.contains(name)) && self.in_scope.contains(name)
    }

    /// Notes, among the variables a `return` moves out (`names`), those from outside the body.
    fn note_moved(&mut self, names: impl IntoIterator<Item = syn::Ident>) {
        for name in names {
            if self.is_outside_local(&name.to_string()) && !self.moved.contains(&name) {
                self.moved.push(name);
            }
        }
    }

    /// Notes `value`, which the body's own flow moves out by value outside its exits, if it
    /// is a place from outside the body (see [`Used::moved_by_iteration`]).
    fn note_moved_by_iteration(&mut self, value: &Expr) {
        if !self.in_exit {
            self.note_moved_place(value);
        }
    }

    /// Notes `value`, which the body's own flow moves out by value, if it is a place from
    /// outside the body: in [`Used::moved_by_return`] inside an exit, else in
    /// [`Used::moved_by_iteration`].
    fn note_moved_place(&mut self, value: &Expr) {
        if !self.own_flow || self.aside || self.in_unsafe {
            return;
        }
        let outside =
            place_root(value).is_some_and(|name| self.is_outside_local(&name.to_string()));
        let written = quote::ToTokens::to_token_stream(value).to_string();
        let noted = match self.in_exit {
            true => &mut self.moved_by_return,
            false => &mut self.moved_by_iteration,
        };
        if outside
            && !noted
                .iter()
                .any(|seen| quote::ToTokens::to_token_stream(seen).to_string() == written)
        {
            noted.push(value.clone());
        }
    }

    /// Notes the fields of variables from outside the body that an exit's value moves out
    /// (`return Ok(cfg.name)`; see [`moved_parts`]).
    fn note_fields_moved(&mut self, value: &Expr) {
        let mut value = value.clone();
        let mut fields = Vec::new();
        moved_parts(&mut value, &mut |part| {
            if let Expr::Field(_) = part {
                fields.push(part.clone());
            }
        });
        let outer = std::mem::replace(&mut self.in_exit, true);
        fields.iter().for_each(|field| self.note_moved_place(field));
        self.in_exit = outer;
    }

    fn bind(&mut self, pat: &Pat) {
        let mut names = Bound(HashMap::new());
        names.visit_pat(pat);
        let scope = self.scopes.last_mut().expect("always one scope");
        scope.extend(names.0.into_keys());
    }

    fn scoped(&mut self, pats: &[&Pat], f: impl FnOnce(&mut Self)) {
        self.scopes.push(HashSet::new());
        for pat in pats {
            self.bind(pat);
        }
        f(self);
        self.scopes.pop();
    }

    /// Records `place` if it is a variable from outside the body or a field of one reached
    /// through a shared reference (rustc then captures the reference), or else, a field of a
    /// variable from outside the body (`names.all`: rustc captures the field alone); whether
    /// it was a path or a field of one.
    fn place(&mut self, place: &Expr) -> bool {
        let mut root = place;
        while let Expr::Field(field) = root {
            root = &field.base;
        }
        let Expr::Path(path) = root else {
            return false;
        };
        let (Some(name), None) = (path.path.get_ident(), &path.qself) else {
            return false;
        };
        let ident = name.clone();
        let name = name.to_string();
        let is_field = !std::ptr::eq(root, place);
        let outside = self.is_outside_local(&name);
        if outside {
            if !self.used.iter().any(|used| *used == name) {
                self.used.push(ident);
            }
            if !is_field {
                self.used_whole.insert(name.clone());
            }
            // `self` cannot name a binding: its view (see `expand::LentUses`) is another
            // binding, which a closure of edition 2018 captures whole, and one that the
            // statement stores (`handlers.on(|k| self.handle(k))`) would outlive. So where a
            // closure uses `self`, it is not lent.
            if self.aside || self.in_unsafe || name == "self" && self.in_closure {
                self.used_aside.insert(name.clone());
            }
        }
        // What `unsafe` allows (a union's field) would not be allowed where the rewrite checks
        // the place, outside it: a field there is left to rustc (`true`: nor is its variable
        // taken whole, which rustc may not capture whole).
        if is_field && self.in_unsafe {
            return true;
        }
        if outside {
            let shared = match !is_field || self.locals.references.contains(&name) {
                true => root,
                false => place,
            };
            let through_a_field = is_field && std::ptr::eq(shared, root);
            let written = quote::ToTokens::to_token_stream(shared).to_string();
            match self.seen.get(&written) {
                // Used whole too, or through a field too.
                Some(&at) => self.found[at].through_a_field &= through_a_field,
                None => {
                    self.seen.insert(written, self.found.len());
                    self.found.push(Shared {
                        place: shared.clone(),
                        through_a_field,
                        holds_closure: self.locals.holding.contains(&name),
                    });
                }
            }
        }
        true
    }
}

/// Whether an async loop may lend its locals to the closures of `stmt`, a statement of an
/// iteration's own flow, through views taken around it: `{ let hits = HOLDER.get(); STMT }`
/// (see `expand::LentUses`). A closure that captures the view (`&T`) is `Send` only where `T`
/// is `Sync`, as the sequential loop's closure that captures `&hits`; the iteration holds the
/// view only while the statement runs, so never across an `.await` (the statement has none,
/// not even in an async block of it). Only an expression statement whose value is dropped at
/// its end (`parts.iter().for_each(|p| hits.set(..));`, or an `if` or a block that is not its
/// block's `tail`), or a `let` whose value holds none of its closures (`let n: u32 =
/// parts.iter().map(|p| p * scale.get()).sum();`, around its initializer): an edition-2018
/// closure borrows the view itself, and one kept by a `let` (`let f = |p| ..;`, an iterator's
/// `map(..)`) or given as a block's value would outlive it. A `let` that keeps its closures
/// (`let bump = |k| hits.set(..);`) only in the body's own block (`in_body`), whose views then
/// go before it and live to the body's end (see [`stores_its_closures`]): in an inner block,
/// such a closure may be kept past the block (`fs.push(f)` into an outer `Vec`), and an
/// edition-2018 closure, which borrows the view itself, could not.
pub(crate) fn views_closures(stmt: &syn::Stmt, tail: bool, in_body: bool) -> bool {
    struct Awaits(bool);
    impl Visit<'_> for Awaits {
        fn visit_expr_await(&mut self, _: &syn::ExprAwait) {
            self.0 = true;
        }
        fn visit_macro(&mut self, mac: &syn::Macro) {
            // `select!`, `join!` and others await out of sight.
            let name = mac.path.segments.last().map(|last| last.ident.to_string());
            self.0 |= matches!(
                name.as_deref(),
                Some("join" | "try_join" | "select" | "pin")
            ) || idents(mac.tokens.clone()).contains("await");
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let expr = match stmt {
        syn::Stmt::Expr(_, None) if tail => return false,
        syn::Stmt::Expr(expr, _) => expr,
        syn::Stmt::Local(syn::Local {
            init:
                Some(syn::LocalInit {
                    expr,
                    diverge: None,
                    ..
                }),
            ..
        }) if in_body || consumes_its_closures(expr) => expr,
        _ => return false,
    };
    let mut awaits = Awaits(false);
    awaits.visit_expr(expr);
    !awaits.0
}

/// Whether `stmt` is a `let` whose value may hold the closures of its initializer (`let bump
/// = |k| hits.set(..);`), for [`views_closures`]: the references they use are taken in
/// statements of their own before it (`let hits = lent.get();`), in the body's own block,
/// which live as long as the closure can (a block around the initializer would end before
/// the closure, which in edition 2018 captures the reference itself). A closure that holds
/// one across an `.await` makes the future not `Send`, as the sequential loop's closure
/// holding `&hits` does. The others' views are taken in a block around the statement (see
/// `expand::LentUses`), which ends with it.
pub(crate) fn stores_its_closures(stmt: &syn::Stmt) -> bool {
    matches!(
        stmt,
        syn::Stmt::Local(syn::Local {
            init: Some(syn::LocalInit {
                expr,
                diverge: None,
                ..
            }),
            ..
        }) if !consumes_its_closures(expr)
    )
}

/// The elements of a struct literal, an array or a tuple.
fn expr_elements(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Struct(built) => built
            .fields
            .iter()
            .map(|field| &field.expr)
            .chain(built.rest.as_deref())
            .collect(),
        Expr::Array(array) => array.elems.iter().collect(),
        Expr::Tuple(tuple) => tuple.elems.iter().collect(),
        _ => Vec::new(),
    }
}

/// Whether a `let`'s value holds none of the closures of its initializer, as far as the
/// source shows: an iterator's adapters ended by a method that consumes them (`.sum()`,
/// `.collect()`, `.any(..)`), or a closure called where it is written (`(|| ..)()`), perhaps
/// unwrapped (`?`, `.unwrap()`).
fn consumes_its_closures(init: &Expr) -> bool {
    const CONSUMING: &[&str] = &[
        "all",
        "any",
        "collect",
        "count",
        "find",
        "find_map",
        "fold",
        "for_each",
        "last",
        "max",
        "max_by",
        "max_by_key",
        "min",
        "min_by",
        "min_by_key",
        "nth",
        "partition",
        "position",
        "product",
        "reduce",
        "rposition",
        "sum",
        "try_fold",
        "try_for_each",
        "unzip",
    ];
    const UNWRAPPING: &[&str] = &["expect", "unwrap", "unwrap_or", "unwrap_or_default"];
    let mut outer = init;
    loop {
        match outer {
            Expr::Try(tried) => outer = &tried.expr,
            Expr::Paren(inner) => outer = &inner.expr,
            Expr::MethodCall(call) if UNWRAPPING.contains(&&*call.method.to_string()) => {
                outer = &call.receiver;
            }
            Expr::MethodCall(call) => return CONSUMING.contains(&&*call.method.to_string()),
            Expr::Call(call) => {
                let mut called = &*call.func;
                while let Expr::Paren(inner) = called {
                    called = &inner.expr;
                }
                return matches!(called, Expr::Closure(_));
            }
            _ => return false,
        }
    }
}

/// The names that the items and `use`s of a body declare, in any of its blocks.
struct Declared(HashSet<String>);

impl Visit<'_> for Declared {
    fn visit_item(&mut self, item: &Item) {
        let named = match item {
            Item::Enum(item) => Some(&item.ident),
            Item::Trait(item) => Some(&item.ident),
            Item::Type(item) => Some(&item.ident),
            Item::Union(item) => Some(&item.ident),
            Item::Mod(item) => Some(&item.ident),
            _ => None,
        };
        self.0.extend(named.map(ToString::to_string));
        self.0.extend(item_names(item));
        // The items inside it (a function's, a module's) declare nothing in this body; being
        // careful costs only a coercion.
        visit::visit_item(self, item);
    }
}

/// The names an item declares in the value namespace, where a variable's name would be:
/// a function, constant, static, unit or tuple struct, or what a `use` brings in (not a
/// glob's, which are not known here).
fn item_names(item: &Item) -> Vec<String> {
    fn used(tree: &syn::UseTree, names: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => used(&path.tree, names),
            syn::UseTree::Name(name) => names.push(name.ident.to_string()),
            syn::UseTree::Rename(rename) => names.push(rename.rename.to_string()),
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(group) => group.items.iter().for_each(|tree| used(tree, names)),
        }
    }
    match item {
        Item::Fn(function) => vec![function.sig.ident.to_string()],
        Item::Const(constant) => vec![constant.ident.to_string()],
        Item::Static(stat) => vec![stat.ident.to_string()],
        Item::Struct(structure) => vec![structure.ident.to_string()],
        Item::Use(import) => {
            let mut names = Vec::new();
            used(&import.tree, &mut names);
            names
        }
        _ => Vec::new(),
    }
}

/// The standard macros whose arguments after the format string are expressions, each used by
/// reference: `println!("{}", total)`.
pub(crate) const FORMATTING: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "unreachable",
    "todo",
    "unimplemented",
    "write",
    "writeln",
    "dbg",
    // anyhow's and eyre's, which format as `format!` does.
    "anyhow",
    "bail",
    "ensure",
    "eyre",
    "format_err",
];

impl Visit<'_> for Places<'_> {
    fn visit_block(&mut self, block: &Block) {
        // An item or `use` in a block is in scope in the whole block, where it hides a variable
        // of the same name from outside (`use std::cmp::max;` beside an outer `max`).
        let items = block.stmts.iter().filter_map(|stmt| match stmt {
            syn::Stmt::Item(item) => Some(item),
            _ => None,
        });
        self.scopes.push(items.flat_map(item_names).collect());
        // The body's last statement gives the iteration's value, `()`: none to outlive it.
        let body = std::mem::take(&mut self.at_body);
        for (at, stmt) in block.stmts.iter().enumerate() {
            let tail = at + 1 == block.stmts.len() && !body;
            match stmt {
                syn::Stmt::Local(local) => {
                    if let Some(init) = &local.init {
                        let viewed = self.closures_viewed;
                        if !self.aside && !self.in_closure && !viewed {
                            self.closures_viewed = views_closures(stmt, tail, body);
                        }
                        // `let _ = seen;` reads nothing: rustc captures no place bound to `_`.
                        if !(matches!(local.pat, Pat::Wild(_)) && is_place(&init.expr)) {
                            if binds_whole(&local.pat) && init.diverge.is_none() {
                                self.note_moved_by_iteration(&init.expr);
                            }
                            self.visit_expr(&init.expr);
                        }
                        self.closures_viewed = viewed;
                        if let Some((_, diverge)) = &init.diverge {
                            self.visit_expr(diverge);
                        }
                    }
                    // In scope from the next statement on.
                    self.bind(&local.pat);
                }
                syn::Stmt::Item(_) => {}
                syn::Stmt::Expr(expr, _) => {
                    let viewed = self.closures_viewed;
                    // The outermost such statement: the views are taken around it.
                    if !self.aside && !self.in_closure && !viewed {
                        self.closures_viewed = views_closures(stmt, tail, body);
                    }
                    self.visit_expr(expr);
                    self.closures_viewed = viewed;
                }
                syn::Stmt::Macro(mac) => self.visit_macro(&mac.mac),
            }
        }
        self.scopes.pop();
    }

    fn visit_expr(&mut self, expr: &Expr) {
        let storing = std::mem::replace(&mut self.storing, false);
        if self.place(expr) {
            return;
        }
        match expr {
            Expr::Return(ret) if self.own_flow => {
                if let Some(value) = &ret.expr {
                    self.note_moved(moved_out(value));
                    self.note_fields_moved(value);
                    self.returned.push((**value).clone());
                }
                let outer = std::mem::replace(&mut self.in_exit, true);
                visit::visit_expr(self, expr);
                self.in_exit = outer;
            }
            Expr::MethodCall(call) => {
                let owning = match &*call.receiver {
                    Expr::Path(path) => path
                        .path
                        .get_ident()
                        .and_then(|name| self.owning.get(&name.to_string())),
                    _ => None,
                };
                if owning.is_some_and(|owning| {
                    consumes_receiver(&call.method.to_string(), call.args.len(), owning)
                }) {
                    self.note_moved_place(&call.receiver);
                }
                self.visit_expr(&call.receiver);
                let stores = Places::stores(&call.method.to_string());
                for arg in &call.args {
                    self.note_moved_by_iteration(arg);
                    self.storing = stores;
                    self.visit_expr(arg);
                }
            }
            Expr::Struct(_) | Expr::Array(_) | Expr::Tuple(_) => {
                let rest = match expr {
                    Expr::Struct(built) => built.rest.as_deref(),
                    _ => None,
                };
                for element in expr_elements(expr) {
                    // `..base` moves only the fields not written, which may be `Copy`.
                    if !rest.is_some_and(|rest| std::ptr::eq(rest, element)) {
                        self.note_moved_by_iteration(element);
                    }
                    self.storing = true;
                    self.visit_expr(element);
                }
            }
            Expr::Try(tried) if self.own_flow => {
                self.note_moved(moved_out(&tried.expr));
                self.note_fields_moved(&tried.expr);
                let outer = std::mem::replace(&mut self.in_exit, true);
                visit::visit_expr(self, expr);
                self.in_exit = outer;
            }
            Expr::Async(_) => {
                let outer = std::mem::replace(&mut self.own_flow, false);
                let outer_aside = std::mem::replace(&mut self.aside, true);
                visit::visit_expr(self, expr);
                self.own_flow = outer;
                self.aside = outer_aside;
            }
            // `unsafe { *p }`: the variables it uses, not their fields (see `place`).
            Expr::Unsafe(block) => {
                let outer = std::mem::replace(&mut self.in_unsafe, true);
                self.visit_block(&block.block);
                self.in_unsafe = outer;
            }
            // `pred(x)` calls a local when one of that name is in scope (a local shadows a
            // function); `max(..)` with no local `max` is a function, which `place` skips.
            Expr::Call(call) => {
                self.visit_expr(&call.func);
                let called = match &*call.func {
                    Expr::Path(path) => {
                        path.path.segments.last().map(|last| last.ident.to_string())
                    }
                    _ => None,
                };
                let stores = called.is_none_or(|called| Places::stores(&called));
                for arg in &call.args {
                    self.note_moved_by_iteration(arg);
                    self.storing = stores;
                    self.visit_expr(arg);
                }
            }
            // A variable only assigned may not hold a value yet (`let x; .. x = 1;`).
            Expr::Assign(assign) if matches!(&*assign.left, Expr::Path(_)) => {
                self.note_moved_by_iteration(&assign.right);
                self.storing = true;
                self.visit_expr(&assign.right);
            }
            Expr::Assign(assign) => {
                self.visit_expr(&assign.left);
                self.note_moved_by_iteration(&assign.right);
                self.storing = true;
                self.visit_expr(&assign.right);
            }
            Expr::Closure(closure) => {
                let inputs: Vec<&Pat> = closure.inputs.iter().collect();
                let outer = std::mem::replace(&mut self.own_flow, false);
                // A closure of a statement that views are taken around uses the views: it is
                // as much the iteration's own code as the statement (see `views_closures`).
                // Not a `move` closure, which would take the view rather than a copy of a
                // `Copy` local (`thread::spawn(move || n + 1)` needs its own `n`), nor one the
                // statement may store (see `storing`).
                let viewed = (self.closures_viewed || self.in_closure)
                    && !self.aside
                    && !storing
                    && closure.capture.is_none();
                let outer_aside = std::mem::replace(&mut self.aside, !viewed);
                let outer_closure = std::mem::replace(&mut self.in_closure, viewed);
                self.scoped(&inputs, |this| this.visit_expr(&closure.body));
                self.own_flow = outer;
                self.aside = outer_aside;
                self.in_closure = outer_closure;
            }
            Expr::ForLoop(inner) => {
                let marked = inner.attrs.iter().any(crate::find::is_marker);
                let outer_aside = self.aside;
                self.aside |= marked;
                self.visit_expr(&inner.expr);
                self.scoped(&[&inner.pat], |this| this.visit_block(&inner.body));
                self.aside = outer_aside;
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
                let marked = inner.attrs.iter().any(crate::find::is_marker);
                let outer_aside = self.aside;
                self.aside |= marked;
                let pats = crate::find::let_patterns(&inner.cond);
                self.visit_expr(&inner.cond);
                self.scoped(&pats, |this| this.visit_block(&inner.body));
                self.aside = outer_aside;
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

    fn visit_macro(&mut self, mac: &syn::Macro) {
        // `vec![owned]` moves its elements out, as an array literal does.
        if mac.path.is_ident("vec") {
            for element in expression_arguments(mac).into_iter().flatten() {
                self.note_moved_by_iteration(&element);
            }
        }
        let outer_aside = std::mem::replace(&mut self.aside, true);
        self.visit_macro_aside(mac, outer_aside || self.in_closure);
        self.aside = outer_aside;
    }

    // Patterns are bound by the scopes; the paths in them (`lo..=HI`) are not variables.
    fn visit_pat(&mut self, _: &Pat) {}

    // Types and generic arguments hold no variables (`[u8; N]`).
    fn visit_type(&mut self, _: &syn::Type) {}

    fn visit_item(&mut self, _: &Item) {}
}

impl Places<'_> {
    /// [`Visit::visit_macro`], in code aside (see [`Places::aside`]), but for the arguments of
    /// the standard formatting macros, which are as much the body's own code as the macro's
    /// call (`outer_aside` says whether that is aside): the rewrite can reach them there (not
    /// a variable named in the format string, `{hits}`).
    fn visit_macro_aside(&mut self, mac: &syn::Macro, outer_aside: bool) {
        let Some(name) = mac.path.segments.last().map(|last| last.ident.to_string()) else {
            return;
        };
        // `bail!(error)` returns: as `return Err(error.into())`.
        if self.own_flow && matches!(name.as_str(), "bail" | "ensure") {
            self.note_moved(error_moved(mac));
        }
        let Some(arguments) =
            macro_arguments(mac).filter(|arguments| arguments.lends || LOGGING.contains(&&*name))
        else {
            self.used_opaquely(mac);
            // The arguments of anyhow's and eyre's macros (`ensure!(cfg.len() < 3)`) are
            // expressions used as values: their places are checked as shared ones, so that a
            // value that is not `Sync` (an `Rc`) gets the loop's message at `for`, rather than
            // rustc's on the body's closure. Aside all the same: they are not lent. Not any
            // macro's: a user's may take a name it only spells (`stringify!($name)`) or a
            // pattern, and its variable would be checked for nothing.
            let arguments = ERROR_MACROS
                .contains(&name.as_str())
                .then(|| expression_arguments(mac))
                .flatten();
            if let Some(arguments) = arguments {
                let outer_arguments = std::mem::replace(&mut self.in_macro_arguments, true);
                let inside = std::mem::replace(&mut self.aside, true);
                for argument in &arguments {
                    self.visit_expr(argument);
                }
                self.aside = inside;
                self.in_macro_arguments = outer_arguments;
            }
            return;
        };
        let lends = arguments.lends;
        // The arguments of a macro that lends them (and the variables that its format string
        // names) are as much the body's own code as the macro's call.
        let inside = std::mem::replace(
            &mut self.aside,
            !(lends && arguments.inline_lendable) || outer_aside,
        );
        let outer_arguments = std::mem::replace(&mut self.in_macro_arguments, true);
        for (name, at) in &arguments.inline {
            let name = proc_macro2::Ident::new(name, *at);
            self.place(&syn::parse_quote!(#name));
        }
        self.aside = !lends || outer_aside;
        for value in &arguments.values {
            self.visit_expr(value);
        }
        // A logged field's shorthand (`info!(x, "..")`) is its name too: not lent.
        self.aside = true;
        for field in &arguments.shorthand {
            self.visit_expr(field);
        }
        self.aside = inside;
        self.in_macro_arguments = outer_arguments;
    }
}

/// The arguments of a standard formatting macro (see [`FORMATTING`]) or a logging one (see
/// [`LOGGING`]), as far as they are the user's expressions.
pub(crate) struct MacroArguments {
    /// The values: each argument, or the value of a named one (`name = value`), or of a
    /// logged field.
    pub(crate) values: Vec<Expr>,
    /// The variables that the format string names inline (`{hits}`, not a named argument),
    /// each once, at the string's span.
    pub(crate) inline: Vec<(String, Span)>,
    /// Whether a named argument may stand for an inline variable (see `expand::LentUses`):
    /// not when the string is the only argument of `panic!`, `unreachable!`, `todo!` or
    /// `unimplemented!`, which edition 2018 prints as written, braces and all (a named
    /// argument would make it a format string there).
    pub(crate) inline_lendable: bool,
    /// Whether an async loop lends its locals in these arguments (see `Used::lendable`): a
    /// standard formatting macro that does not print its arguments' source. `dbg!` prints
    /// `stringify!` of them, and so do `assert!`, `debug_assert!` and `ensure!` without a
    /// message of their own, which would show the rewrite's (`assert!(hits.get() > 0)`); with
    /// one, they print only the message.
    pub(crate) lends: bool,
    /// A logging macro's fields written as a variable alone (`info!(x, "..")`), which names the
    /// field too: a view in its place would change the name.
    pub(crate) shorthand: Vec<Expr>,
}

/// What [`MacroArguments`] says of `mac`, if it is a formatting or logging macro whose
/// arguments parse.
pub(crate) fn macro_arguments(mac: &syn::Macro) -> Option<MacroArguments> {
    let name = mac.path.segments.last()?.ident.to_string();
    // The names of named arguments, which `{name}` in the format string means.
    let mut named = HashSet::new();
    let mut inline_lendable = true;
    let mut lends = false;
    let mut shorthand = Vec::new();
    let (values, format): (Vec<Expr>, _) = if FORMATTING.contains(&&*name) {
        let args = expression_arguments(mac)?;
        if args.len() == 1 && matches!(&*name, "panic" | "unreachable" | "todo" | "unimplemented") {
            inline_lendable = false;
        }
        lends = match name.as_str() {
            "dbg" => false,
            "assert" | "debug_assert" | "ensure" => args.len() > 1,
            _ => true,
        };
        // The format string's place among the arguments. (Alone in edition 2018's `panic!`
        // and `assert!` it is not formatted; the macro cannot tell the editions apart, and
        // takes it as 2021 does.)
        let at = match name.as_str() {
            "assert" | "debug_assert" | "write" | "writeln" | "ensure" => 1,
            "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => 2,
            // No format string.
            "dbg" => args.len(),
            _ => 0,
        };
        let format = match args.iter().nth(at) {
            Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(string),
                ..
            })) => Some(string.clone()),
            _ => None,
        };
        // `name = value` names an argument: only its value is the user's expression.
        let values = args
            .into_iter()
            .map(|arg| match arg {
                Expr::Assign(assign) => {
                    if let Expr::Path(name) = &*assign.left {
                        named.extend(name.path.get_ident().map(ToString::to_string));
                    }
                    *assign.right
                }
                arg => arg,
            })
            .collect();
        (values, format)
    } else if LOGGING.contains(&&*name) {
        // Lent as a formatting macro's when every argument is an expression the rewrite can
        // reach: fields before the message (`name = value`, or a variable alone, whose name
        // names the field and which is not lent), and the message's format arguments after
        // it. Not with a sigil (`%x`), `target:` and the like, or a level first (`event!`).
        if let Some(args) = expression_arguments(mac) {
            let message = args.iter().position(|arg| {
                matches!(
                    arg,
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(_),
                        ..
                    })
                )
            });
            let fields = message.unwrap_or(args.len());
            let variable =
                |arg: &Expr| matches!(arg, Expr::Path(path) if path.path.get_ident().is_some());
            lends = args
                .iter()
                .take(fields)
                .all(|arg| matches!(arg, Expr::Assign(_)) || variable(arg));
            shorthand.extend(
                args.iter()
                    .take(fields)
                    .filter(|arg| variable(arg))
                    .cloned(),
            );
            // A named format argument is what `{name}` in the message means.
            for arg in args.iter().skip(fields + 1) {
                if let Expr::Assign(assign) = arg {
                    if let Expr::Path(path) = &*assign.left {
                        named.extend(path.path.get_ident().map(ToString::to_string));
                    }
                }
            }
        }
        logged_values(mac.tokens.clone())
    } else {
        return None;
    };
    // `{name}` in the format string uses the variable `name`.
    let inline = format
        .map(|format| {
            let mut inline: Vec<(String, Span)> = Vec::new();
            for name in inline_arguments(&format.value()) {
                if !named.contains(&name) && !inline.iter().any(|(seen, _)| *seen == name) {
                    inline.push((name, format.span()));
                }
            }
            inline
        })
        .unwrap_or_default();
    Some(MacroArguments {
        values,
        inline,
        inline_lendable,
        lends,
        shorthand,
    })
}

/// A macro's arguments read as comma-separated expressions (`format!`, `write!`'s), if they
/// are.
pub(crate) fn expression_arguments(
    mac: &syn::Macro,
) -> Option<syn::punctuated::Punctuated<Expr, syn::Token![,]>> {
    mac.parse_body_with(syn::punctuated::Punctuated::parse_terminated)
        .ok()
}

/// The macros of `anyhow` and `eyre` that make or return an error, whose arguments are
/// expressions used as values (a format string's arguments, a condition, an error).
const ERROR_MACROS: &[&str] = &["ensure", "bail", "anyhow", "eyre", "format_err"];

/// The logging macros of `log` and `tracing` (`info!`, `tracing::event!`): their arguments
/// are expressions, some after `target:`, `parent:` or `name:`, a field's name (`key =`,
/// `a.b =`) or a sigil (`?`, `%`); see [`logged_values`].
pub(crate) const LOGGING: &[&str] = &["trace", "debug", "info", "warn", "error", "event", "log"];

/// The expressions among a logging macro's arguments (see [`LOGGING`]): each argument up to a
/// comma, without what names it, parsed as an expression; `target: ..` and the like are left
/// out, and so is anything that does not parse. And the message's format string: the first
/// argument that is a string literal and not a field's value (`template = "{name}"`).
fn logged_values(tokens: TokenStream) -> (Vec<Expr>, Option<syn::LitStr>) {
    let mut message = None;
    let mut arguments = vec![Vec::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => arguments.push(Vec::new()),
            _ => arguments.last_mut().expect("one at least").push(token),
        }
    }
    let sigil = |tokens: &[TokenTree]| match tokens.first() {
        Some(TokenTree::Punct(punct)) if matches!(punct.as_char(), '?' | '%') => 1,
        _ => 0,
    };
    let mut values = Vec::new();
    for argument in arguments {
        // `target: ..`, `parent: ..`, `name: ..` (not `a::b`).
        if let [TokenTree::Ident(_), TokenTree::Punct(colon), ..] = argument.as_slice() {
            if colon.as_char() == ':' && colon.spacing() == proc_macro2::Spacing::Alone {
                continue;
            }
        }
        // A field's name: `key = value`, `a.b = value`, `"key" = value` (not `a == b`, `a <= b`).
        let named = argument
            .iter()
            .enumerate()
            .find_map(|(at, token)| match token {
                TokenTree::Punct(punct) if punct.as_char() == '=' => {
                    let after_punct =
                        at.checked_sub(1)
                            .and_then(|before| match &argument[before] {
                                TokenTree::Punct(before) => Some(before.spacing()),
                                _ => None,
                            });
                    let joined = punct.spacing() == proc_macro2::Spacing::Joint
                        || after_punct == Some(proc_macro2::Spacing::Joint);
                    let name_only = argument[..at].iter().all(|token| match token {
                        TokenTree::Ident(_) | TokenTree::Literal(_) => true,
                        TokenTree::Punct(punct) => punct.as_char() == '.',
                        TokenTree::Group(_) => false,
                    });
                    (!joined && name_only).then_some(at + 1)
                }
                _ => None,
            });
        let value = &argument[named.unwrap_or(0)..];
        let value = &value[sigil(value)..];
        if let Ok(expr) = syn::parse2::<Expr>(value.iter().cloned().collect()) {
            if let (
                None,
                None,
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(string),
                    ..
                }),
            ) = (&message, named, &expr)
            {
                message = Some(string.clone());
            }
            values.push(expr);
        }
    }
    (values, message)
}

/// The variables a format string names inline: `name` in `{name}` and `{name:?}`, not in
/// `{{name}}` (braces), `{0}` or `{}`.
fn inline_arguments(format: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '{' {
            continue;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            continue;
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric() || *c == '_')).collect();
        let identifier = name.starts_with(|c: char| c.is_alphabetic() || c == '_') && name != "_";
        if identifier && matches!(chars.peek(), Some(':' | '}')) {
            names.push(name);
        }
    }
    names
}

/// The `let`s without a written type whose value is an empty generic container or a
/// default (`Vec::new()`, `HashMap::with_capacity(n)`, `Default::default()`, `Bag::empty()`,
/// any call without arguments, `None`, `vec![]`): their type may be given by a use after the
/// loop (`.0`). And, wider (`.1`), the `let`s whose value's type the loop's body may give, as
/// an input: these, or an iterator whose items' type is picked by a later use
/// (`let numbers = words.iter().map(|w| w.parse());` and `let n: u32 = n?;` in the body), or
/// a local built from one (the lets are visited in order). Heuristics that err on
/// "unsettled".
struct Unsettled(HashSet<String>, HashSet<String>);

impl Visit<'_> for Unsettled {
    fn visit_local(&mut self, local: &syn::Local) {
        let init = local.init.as_ref().map(|init| &*init.expr);
        let names = || {
            let mut names = Bound(HashMap::new());
            names.visit_pat(&local.pat);
            names.0.into_keys()
        };
        let typed = matches!(local.pat, Pat::Type(_));
        if let (false, Some(init)) = (typed, init) {
            if may_be_unsettled(init) {
                self.0.extend(names());
            }
        }
        // A written type settles the value's, unless it leaves a part to infer (`Vec<_>`).
        let written = match &local.pat {
            Pat::Type(typed) => !has_infer(&typed.ty),
            _ => false,
        };
        if let (false, Some(init)) = (written, init) {
            if may_be_unsettled(init) || mentions_untyped(init, &self.1) {
                self.1.extend(names());
            }
        }
        visit::visit_local(self, local);
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// Whether a written type leaves a part to infer: `Vec<_>`.
fn has_infer(ty: &syn::Type) -> bool {
    struct Infer(bool);
    impl Visit<'_> for Infer {
        fn visit_type_infer(&mut self, _: &syn::TypeInfer) {
            self.0 = true;
        }
    }
    let mut infer = Infer(false);
    infer.visit_type(ty);
    infer.0
}

fn may_be_unsettled(value: &Expr) -> bool {
    let plain = |path: &syn::Path| {
        path.segments
            .iter()
            .all(|segment| segment.arguments.is_none())
    };
    match value {
        Expr::Call(call) => match &*call.func {
            // `String` has no parameters to give.
            Expr::Path(path) if of_string(&path.path) => false,
            // Any call without arguments may be a constructor of a generic type whose
            // parameters a later use gives (`Bag::empty()`, `make_set()`), and the named ones
            // take arguments that do not settle them (`Vec::with_capacity(n)`).
            Expr::Path(path) if plain(&path.path) => {
                let last = path.path.segments.last().map(|s| s.ident.to_string());
                call.args.is_empty()
                    || matches!(
                        last.as_deref(),
                        Some("new" | "default" | "with_capacity" | "with_hasher" | "new_in")
                    )
            }
            _ => false,
        },
        Expr::Path(path) => path.path.is_ident("None"),
        Expr::Macro(mac) => mac.mac.path.is_ident("vec") && mac.mac.tokens.is_empty(),
        Expr::Paren(paren) => may_be_unsettled(&paren.expr),
        // Built around one: `Bag::empty().capped(3)`, `(Vec::new(), 0)`, `Bag { items: vec![] }`.
        Expr::MethodCall(call) => call.turbofish.is_none() && may_be_unsettled(&call.receiver),
        Expr::Tuple(tuple) => tuple.elems.iter().any(may_be_unsettled),
        Expr::Array(array) => array.elems.iter().any(may_be_unsettled),
        Expr::Struct(built) => built
            .fields
            .iter()
            .any(|field| may_be_unsettled(&field.expr)),
        _ => false,
    }
}

/// Whether `path` names a function of `String` (`String::new`, `String::from`): its result
/// type is known, as `String` has no parameters for a later use to give.
fn of_string(path: &syn::Path) -> bool {
    let mut segments = path.segments.iter().rev().skip(1);
    segments
        .next()
        .is_some_and(|ty| ty.ident == "String" && ty.arguments.is_none())
}

/// Whether `path` is a conversion into the type it names (`PathBuf::from`, `Self::try_from`,
/// `Vec::from_iter`), whose result type is that type's: not a conversion trait's own function
/// (`From::from`, `FromIterator::from_iter`), whose type the caller picks.
fn converts_into_named_type(path: &syn::Path) -> bool {
    const CONVERSIONS: &[&str] = &["from", "try_from", "from_iter", "from_str"];
    const TRAITS: &[&str] = &["From", "TryFrom", "FromIterator", "FromStr"];
    let mut segments = path.segments.iter().rev();
    let (Some(function), Some(ty)) = (segments.next(), segments.next()) else {
        return false;
    };
    let ty_name = ty.ident.to_string();
    CONVERSIONS.contains(&function.ident.to_string().as_str())
        && function.arguments.is_none()
        && ty_name.starts_with(char::is_uppercase)
        && !TRAITS.contains(&ty_name.as_str())
}

/// Whether `expr` uses one of the `unsettled` locals, or calls a function whose result type
/// its caller picks (see [`picked_by_caller`]), without a turbofish, anywhere in it (in an
/// adapter's closure too: `.map(|l| l.parse())`), or writes `_` for a type.
fn mentions_untyped(expr: &Expr, unsettled: &HashSet<String>) -> bool {
    struct Uses<'a>(&'a HashSet<String>, bool);
    impl Visit<'_> for Uses<'_> {
        fn visit_ident(&mut self, ident: &proc_macro2::Ident) {
            self.1 |= self.0.contains(&ident.to_string());
        }
        // `as _`, `Vec::<_>::new()`, `vec![]`: a type the body may give.
        fn visit_type_infer(&mut self, _: &syn::TypeInfer) {
            self.1 = true;
        }
        fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
            self.1 |= call.turbofish.is_none() && picked_by_caller(&call.method);
            visit::visit_expr_method_call(self, call);
        }
        fn visit_path(&mut self, path: &syn::Path) {
            let mut segments = path.segments.iter().rev();
            self.1 |= segments.next().is_some_and(|last| {
                let mut collection = || {
                    segments.next().is_some_and(|ty| {
                        ty.arguments.is_none()
                            && CONTAINERS.contains(&ty.ident.to_string().as_str())
                    })
                };
                last.arguments.is_none()
                    && !of_string(path)
                    && (picked_by_caller(&last.ident) && !converts_into_named_type(path)
                        || (last.ident == "new" || last.ident == "with_capacity") && collection())
            });
            visit::visit_path(self, path);
        }
        fn visit_macro(&mut self, mac: &syn::Macro) {
            self.1 |= mac.path.is_ident("vec") && mac.tokens.is_empty();
            self.1 |= !idents(mac.tokens.clone()).is_disjoint(self.0);
            // Its arguments' types too (`vec![(1, Default::default())]`); where they are not
            // a list of values (`vec![x; n]`), any name of a function whose caller picks.
            let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
            match mac.parse_body_with(parser) {
                Ok(arguments) => arguments
                    .iter()
                    .for_each(|argument| self.visit_expr(argument)),
                Err(_) => {
                    self.1 |= idents(mac.tokens.clone())
                        .iter()
                        .any(|name| PICKED.contains(&name.as_str()));
                }
            }
        }
    }
    let mut uses = Uses(unsettled, false);
    uses.visit_expr(expr);
    uses.1
}

/// The standard number types, `bool` and `char`, by name.
pub(crate) const SCALARS: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char",
];

/// Whether `ty` is written as one of the [`SCALARS`] (see [`Locals::scalars`](struct@Locals)).
fn scalar(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none()
        && path.path.get_ident().is_some_and(|name| SCALARS.contains(&name.to_string().as_str())))
}

/// Whether `mac` is `vec!` or `format!`, which make a new owned value of their arguments.
pub(crate) fn makes_owned_value(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|last| last.ident == "vec" || last.ident == "format")
}

/// Whether `expr` uses as a value a lower-case name other than `self` that no pattern of the
/// function binds (see [`Locals::may_be_untyped`]); not a function's name, which a call uses.
fn mentions_unbound(expr: &Expr, bound: &HashMap<String, usize>) -> bool {
    struct Unbound<'a>(&'a HashMap<String, usize>, bool);
    impl Visit<'_> for Unbound<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Path(path) if path.qself.is_none() => {
                    if let Some(name) = path.path.get_ident() {
                        let name = name.to_string();
                        self.1 |= name != "self"
                            && name.starts_with(|c: char| c.is_lowercase())
                            && !self.0.contains_key(&name);
                    }
                }
                Expr::Call(call) if matches!(&*call.func, Expr::Path(_)) => {
                    call.args.iter().for_each(|arg| self.visit_expr(arg));
                }
                _ => visit::visit_expr(self, expr),
            }
        }
        fn visit_item(&mut self, _: &Item) {}
    }
    let mut unbound = Unbound(bound, false);
    unbound.visit_expr(expr);
    unbound.1
}

struct PlainLets(HashSet<String>, HashSet<String>, HashSet<String>);

impl Visit<'_> for PlainLets {
    fn visit_local(&mut self, local: &syn::Local) {
        let plain = match (&local.pat, &local.init) {
            (Pat::Type(typed), _) => send_and_sync(&typed.ty).then_some(&*typed.pat),
            (pat, Some(init)) if matches!(&*init.expr, Expr::Lit(_)) => Some(pat),
            _ => None,
        };
        if let Some(Pat::Ident(name)) = plain {
            self.0.insert(name.ident.to_string());
        }
        // A reference or a smart pointer, as `Locals::references` counts them; an `Rc`, as
        // `Locals::counted` counts them.
        note_pointer(local, &mut self.1, captured_whole, points_to);
        note_pointer(local, &mut self.2, counted_type, counted_value);
        visit::visit_local(self, local);
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// Whether a closure that uses a field through a variable of this written type captures the
/// variable itself: a shared reference, or an `Arc`, `Rc` (rustc stops a capture's place at a
/// dereference of either).
fn captured_whole(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => reference.mutability.is_none(),
        syn::Type::Paren(paren) => captured_whole(&paren.elem),
        _ => pointer_type(ty, &["Arc", "Rc"]),
    }
}

/// Adds to `known` the name that `local` binds alone, if its written type says it is a
/// pointer of the kind `by_type` tells, or else its value does (`by_value`, with the names
/// already `known`: a clone of one).
fn note_pointer(
    local: &syn::Local,
    known: &mut HashSet<String>,
    by_type: fn(&syn::Type) -> bool,
    by_value: fn(&Expr, &HashSet<String>) -> bool,
) {
    let pointer = match (&local.pat, &local.init) {
        (Pat::Type(typed), _) => by_type(&typed.ty).then_some(&*typed.pat),
        (pat, Some(init)) => by_value(&init.expr, known).then_some(pat),
        _ => None,
    };
    if let Some(Pat::Ident(name)) = pointer {
        known.insert(name.ident.to_string());
    }
}

/// Whether a written type is an `Rc`.
fn counted_type(ty: &syn::Type) -> bool {
    pointer_type(ty, &["Rc"])
}

/// Whether a written type is a smart pointer of one of these `owners` (`Arc<T>`, `rc::Rc<T>`).
fn pointer_type(ty: &syn::Type, owners: &[&str]) -> bool {
    match ty {
        syn::Type::Paren(paren) => pointer_type(&paren.elem, owners),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| owners.iter().any(|owner| last.ident == owner)),
        _ => false,
    }
}

/// Whether a `let`'s value is a new `Rc` (`Rc::new(..)`, `Rc::clone(&..)`), or a clone of a
/// variable that holds one (`known`).
fn counted_value(value: &Expr, known: &HashSet<String>) -> bool {
    new_pointer(value, known, &["Rc"])
}

/// Whether a `let`'s value is a shared reference or a new `Arc` or `Rc` (see
/// [`captured_whole`]): `&s`, `Arc::new(..)`, `Rc::clone(&..)`, or a clone of a variable that
/// is one (`known`: `a.clone()`).
fn points_to(value: &Expr, known: &HashSet<String>) -> bool {
    match value {
        Expr::Reference(reference) => reference.mutability.is_none(),
        Expr::Paren(paren) => points_to(&paren.expr, known),
        _ => new_pointer(value, known, &["Arc", "Rc"]),
    }
}

/// Whether `value` makes a smart pointer of one of these `owners` (`Arc::new(..)`,
/// `Rc::clone(&..)`, `Rc::from(..)`), or clones a variable that holds one (`known`).
fn new_pointer(value: &Expr, known: &HashSet<String>, owners: &[&str]) -> bool {
    match value {
        Expr::Paren(paren) => new_pointer(&paren.expr, known, owners),
        Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
            matches!(&*call.receiver, Expr::Path(path)
                if path.path.get_ident().is_some_and(|name| known.contains(&name.to_string())))
        }
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => {
                let mut names = path.path.segments.iter().rev().map(|s| s.ident.to_string());
                let (function, owner) = (names.next(), names.next());
                owner.is_some_and(|owner| owners.contains(&owner.as_str()))
                    && matches!(function.as_deref(), Some("new" | "clone" | "from"))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether a written type is `Send` and `Sync` by its form alone: primitives, `str`, `String`,
/// and references, slices, arrays, tuples and `Vec`s of them.
fn send_and_sync(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => send_and_sync(&reference.elem),
        syn::Type::Slice(slice) => send_and_sync(&slice.elem),
        syn::Type::Array(array) => send_and_sync(&array.elem),
        syn::Type::Paren(paren) => send_and_sync(&paren.elem),
        syn::Type::Tuple(tuple) => tuple.elems.iter().all(send_and_sync),
        syn::Type::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
            let last = &path.path.segments[0];
            let name = last.ident.to_string();
            match &last.arguments {
                syn::PathArguments::None => {
                    SCALARS.contains(&name.as_str()) || name == "str" || name == "String"
                }
                syn::PathArguments::AngleBracketed(args) if name == "Vec" => {
                    args.args.iter().all(|arg| match arg {
                        syn::GenericArgument::Type(ty) => send_and_sync(ty),
                        _ => false,
                    })
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// The standard macros that write no closure of their own, besides the [`FORMATTING`] ones:
/// any closure in their value is one written among their tokens.
const SHOWS_ITS_CLOSURES: &[&str] = &[
    "vec",
    "concat",
    "stringify",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "line",
    "column",
    "file",
    "module_path",
    "matches",
    "cfg",
];

/// Whether `path` names one of [`SHOWS_ITS_CLOSURES`] or [`FORMATTING`], bare or through
/// `std`, `core` or `alloc` (`std::vec!`).
fn shows_its_closures(path: &syn::Path) -> bool {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let name = match names.as_slice() {
        [name] => name,
        [root, name] if ["std", "core", "alloc"].contains(&root.as_str()) => name,
        _ => return false,
    };
    SHOWS_ITS_CLOSURES.contains(&name.as_str()) || FORMATTING.contains(&name.as_str())
}

struct Finder<'a> {
    locals: &'a Locals,
    found: bool,
}

impl Visit<'_> for Finder<'_> {
    fn visit_expr(&mut self, expr: &Expr) {
        if self.found {
            return;
        }
        match expr {
            Expr::Closure(closure) => {
                // The closures inside it count too: `flat_map(|x| (0..x).map(move |i| ..))`.
                self.found = self.locals.may_capture(closure);
                visit::visit_expr_closure(self, closure);
            }
            Expr::Async(_) => self.found = true,
            Expr::Path(path) => {
                if let Some(name) = path.path.get_ident() {
                    self.found = self.locals.holding.contains(&name.to_string());
                }
            }
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        // Another crate's or the user's macro may write a closure that its call does not show
        // (`unique!(names, seen)` expanding to `.filter(|n| seen.borrow_mut()..)`): its value
        // may hold one, and the input is pulled by the calling thread, which any input allows.
        if !shows_its_closures(&mac.path) {
            self.found = true;
            return;
        }
        let mut tokens = Vec::new();
        flatten(mac.tokens.clone(), &mut tokens);
        self.found |= tokens.iter().any(|token| match token {
            TokenTree::Punct(punct) => punct.as_char() == '|',
            TokenTree::Ident(ident) => {
                ident == "async" || self.locals.holding.contains(&ident.to_string())
            }
            _ => false,
        });
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// The closures written in an input (not those inside them), and whether it may hold one that
/// cannot be seen: see [`Locals::captured_by_input`].
struct WrittenClosures<'a, 'e> {
    locals: &'a Locals,
    found: Vec<&'e syn::ExprClosure>,
    opaque: bool,
}

impl<'e> Visit<'e> for WrittenClosures<'_, 'e> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        match expr {
            Expr::Closure(closure) => self.found.push(closure),
            Expr::Async(_) => self.opaque = true,
            Expr::Path(path) => {
                if let Some(name) = path.path.get_ident() {
                    self.opaque |= self.locals.holding.contains(&name.to_string());
                }
            }
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &'e syn::Macro) {
        let mut finder = Finder {
            locals: self.locals,
            found: false,
        };
        finder.visit_macro(mac);
        self.opaque |= finder.found;
    }

    fn visit_item(&mut self, _: &'e Item) {}
}

/// The names a closure uses that it does not bind as a parameter (of its own or of a closure
/// inside it, within that closure): the places it may capture. Names in macros count, those in
/// a format string's `{name}` included.
#[derive(Default)]
struct Names {
    free: HashSet<String>,
}

impl Visit<'_> for Names {
    fn visit_expr_closure(&mut self, closure: &syn::ExprClosure) {
        let mut inner = Names::default();
        inner.visit_expr(&closure.body);
        let mut parameters = Bound(HashMap::new());
        for pat in &closure.inputs {
            parameters.visit_pat(pat);
        }
        self.free.extend(
            inner
                .free
                .into_iter()
                .filter(|name| !parameters.0.contains_key(name)),
        );
    }

    fn visit_path(&mut self, path: &syn::Path) {
        if path.leading_colon.is_none() && path.segments.len() == 1 {
            self.free.insert(path.segments[0].ident.to_string());
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        let mut tokens = Vec::new();
        flatten(mac.tokens.clone(), &mut tokens);
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    self.free.insert(ident.to_string());
                }
                TokenTree::Literal(literal) => {
                    // `{name}`, `{name:?}` in a format string capture `name`.
                    let text = literal.to_string();
                    for part in text.split('{').skip(1) {
                        let name: String = part
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            self.free.insert(name);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// The names that patterns bind, with how many patterns bind each.
struct Bound(HashMap<String, usize>);

/// The names that `expr`'s patterns bind (`let`s, closures' parameters, `match` arms).
pub(crate) fn bound_in(expr: &Expr) -> HashSet<String> {
    let mut bound = Bound(HashMap::new());
    bound.visit_expr(expr);
    bound.0.into_keys().collect()
}

impl Visit<'_> for Bound {
    fn visit_pat_ident(&mut self, binding: &syn::PatIdent) {
        *self.0.entry(binding.ident.to_string()).or_default() += 1;
        visit::visit_pat_ident(self, binding);
    }

    fn visit_item(&mut self, _: &Item) {}
}

/// Every `let` and assignment of the function: the names it gives a value, and the value.
struct Values<'a>(Vec<(Vec<String>, &'a Expr)>);

impl<'a> Visit<'a> for Values<'a> {
    fn visit_local(&mut self, local: &'a syn::Local) {
        if let Some(init) = &local.init {
            let mut names = Bound(HashMap::new());
            names.visit_pat(&local.pat);
            self.0.push((names.0.into_keys().collect(), &init.expr));
        }
        visit::visit_local(self, local);
    }

    fn visit_expr_assign(&mut self, assign: &'a syn::ExprAssign) {
        if let Expr::Path(path) = &*assign.left {
            if let Some(name) = path.path.get_ident() {
                self.0.push((vec![name.to_string()], &assign.right));
            }
        }
        visit::visit_expr_assign(self, assign);
    }

    // A value may also reach a local through a method of it (`slot.insert(it)`) or a `&mut` of
    // it passed to a function (`fill(&mut slot, it)`).
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::MethodCall(call) => {
                if let Some(name) = local_name(&call.receiver) {
                    self.0.push((vec![name], expr));
                }
            }
            Expr::Call(call) => {
                for arg in &call.args {
                    if let Expr::Reference(reference) = arg {
                        if let Some(name) = local_name(&reference.expr) {
                            self.0.push((vec![name], expr));
                        }
                    }
                }
            }
            _ => {}
        }
        visit::visit_expr(self, expr);
    }

    fn visit_item(&mut self, _: &'a Item) {}
}

/// The local that `expr` names, through references and fields (`&mut slot`, `self.it`).
fn local_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
        Expr::Reference(reference) => local_name(&reference.expr),
        Expr::Field(field) => local_name(&field.base),
        Expr::Paren(paren) => local_name(&paren.expr),
        _ => None,
    }
}

/// The names of the identifiers in `tokens`, in groups too.
pub(crate) fn idents(tokens: TokenStream) -> HashSet<String> {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    flat.into_iter()
        .filter_map(|token| match token {
            TokenTree::Ident(ident) => Some(ident.to_string()),
            _ => None,
        })
        .collect()
}

fn flatten(tokens: TokenStream, into: &mut Vec<TokenTree>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => flatten(group.stream(), into),
            token => into.push(token),
        }
    }
}

/// Whether a method or function of this name in the standard library returns a type that
/// its caller picks (`parse`, `into`, `collect`): without a turbofish, a later use may give it.
fn picked_by_caller(name: &proc_macro2::Ident) -> bool {
    PICKED.iter().any(|picked| name == picked)
}

/// See [`picked_by_caller`].
const PICKED: &[&str] = &[
    "parse",
    "into",
    "try_into",
    "from",
    "try_from",
    "collect",
    "sum",
    "product",
    "default",
    "unwrap_or_default",
    "from_iter",
    "from_str",
    "unzip",
    // Generic in what they return, in widely used crates: csv's and serde's
    // `deserialize`, rusqlite's `try_get`, reqwest's `json`, bincode's `decode`. (Not
    // `get`, rusqlite's too: a map's and a slice's, whose type is known, are far more
    // common, and an input taken for untyped loses the message that names what is not
    // `Send` in its items.)
    "deserialize",
    "try_get",
    "json",
    "decode",
];

#[cfg(test)]
mod tests {
    use super::Locals;
    use syn::{parse_quote, Block, Expr, ItemFn};

    /// What `ask` says of the input of `function`'s one `for` loop.
    fn of_input(function: ItemFn, ask: impl Fn(&Locals, &Expr) -> bool) -> bool {
        let locals = Locals::of_function(&function.sig, &function.block);
        let block: &Block = &function.block;
        let input = block
            .stmts
            .iter()
            .find_map(|stmt| match stmt {
                syn::Stmt::Expr(Expr::ForLoop(for_loop), _) => Some(&*for_loop.expr),
                _ => None,
            })
            .expect("a for loop");
        ask(&locals, input)
    }

    /// Whether the input of `function`'s one `for` loop may hold a capturing closure.
    fn holds(function: ItemFn) -> bool {
        of_input(function, Locals::may_hold_capturing_closure)
    }

    /// Whether the items' type of `function`'s one `for` loop may be unknown before it.
    fn untyped(function: ItemFn) -> bool {
        of_input(function, Locals::may_be_untyped)
    }

    #[test]
    fn items_whose_type_the_body_may_give_are_untyped() {
        assert!(untyped(parse_quote! {
            fn f(words: &[&str]) { for n in words.iter().map(|w| w.parse()) {} }
        }));
        assert!(untyped(parse_quote! {
            fn f(words: &[&str]) { let numbers = words.iter().map(|w| w.parse()); for n in numbers {} }
        }));
        assert!(untyped(parse_quote! {
            fn f(words: &[&str]) {
                let numbers = words.iter().map(|w| w.parse());
                let small = numbers.take(3);
                for n in small {}
            }
        }));
        assert!(untyped(parse_quote! {
            fn f(lines: &[&str]) { let numbers: Vec<_> = lines.iter().map(|l| l.parse()).collect(); for n in numbers {} }
        }));
        assert!(untyped(parse_quote! {
            fn f(v: Vec<u32>) { let it = v.into_iter().map(Into::into); for x in it {} }
        }));
        assert!(untyped(parse_quote! {
            fn f(data: &str) { let mut rdr = Reader::new(data); for result in rdr.deserialize() {} }
        }));
        // Written where it is: a type, a turbofish, or a value.
        assert!(!untyped(parse_quote! {
            fn f(words: &[&str]) { let numbers: Vec<u32> = parse_all(words); for n in numbers {} }
        }));
        assert!(!untyped(parse_quote! {
            fn f(words: &[&str]) { let numbers = words.iter().map(|w| w.parse::<u32>()); for n in numbers {} }
        }));
        assert!(!untyped(parse_quote! {
            fn f(words: &[&str]) { let lengths = words.iter().map(|w| w.len()); for n in lengths {} }
        }));
        // A conversion into a type it names, and `String`'s own constructors, give that type.
        assert!(!untyped(parse_quote! {
            fn f(words: &[&str]) { let first = String::from(words[0]); for w in [first] {} }
        }));
        assert!(!untyped(parse_quote! {
            fn f() { let buffer = String::new(); for w in [buffer] {} }
        }));
        assert!(!untyped(parse_quote! {
            fn f(words: &[&str]) { let dirs = Vec::from_iter(words.iter().map(PathBuf::from)); for d in dirs {} }
        }));
        // A conversion trait's own function does not.
        assert!(untyped(parse_quote! {
            fn f(words: &[&str]) { let first = From::from(words[0]); for w in [first] {} }
        }));
    }

    #[test]
    fn closures_that_capture_nothing_keep_the_shared_path() {
        assert!(!holds(parse_quote! {
            fn f(items: &[u32]) { for x in items.iter().map(|x| x * 2) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f(items: &[u32]) { for x in items.iter().map(|x| { let y = x * 2; y + 1 }) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f(items: &[u32]) { for x in items.iter().map(|x| double(*x)).filter(|x| *x > LIMIT) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f(items: &[u32]) { let it = items.iter().map(|x| x + 1); for x in it {} }
        }));
    }

    #[test]
    fn closures_that_capture_parameters_of_send_types_keep_it() {
        assert!(!holds(parse_quote! {
            fn f(items: &[u64], factor: u64) { for x in items.iter().map(|x| x * factor) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f(words: &[String], prefix: &str) {
                for w in words.iter().filter(|w| w.starts_with(prefix)) {}
            }
        }));
        assert!(!holds(parse_quote! {
            fn f(items: &[u64]) {
                let factor = 3;
                let limit: usize = items.len();
                for x in items.iter().map(|x| x * factor).take(limit) {}
            }
        }));
        // Rebound in the function: its type there is not known.
        assert!(holds(parse_quote! {
            fn f(items: &[u64], factor: u64) {
                let factor = Rc::new(factor);
                for x in items.iter().map(move |x| x * *factor) {}
            }
        }));
        assert!(holds(parse_quote! {
            fn f<T>(items: &[u64], factor: T) { for x in items.iter().map(|x| (x, &factor)) {} }
        }));
    }

    #[test]
    fn closures_that_may_capture_a_local_skip_it() {
        assert!(holds(parse_quote! {
            fn f(n: usize, offset: Rc<usize>) { for x in (0..n).map(move |i| i + *offset) {} }
        }));
        assert!(holds(parse_quote! {
            fn f(n: usize, offset: Rc<usize>) {
                for x in (0..n).map(move |i| { let offset = *offset; i + offset }) {}
            }
        }));
        assert!(holds(parse_quote! {
            fn f(n: usize, tag: Rc<str>) { for x in (0..n).map(|i| format!("{tag}{i}")) {} }
        }));
        assert!(holds(parse_quote! {
            fn f(rows: &[usize]) {
                for x in rows.iter().flat_map(|&r| { let b = Rc::new(r); (0..3).map(move |i| i + *b) }) {}
            }
        }));
        assert!(holds(parse_quote! {
            fn f(&self) { for x in (0..3).map(|i| i + self.base) {} }
        }));
    }

    /// What the body of `function`'s one `for` loop uses from outside it, once the loop is
    /// marked.
    fn used(mut function: ItemFn) -> super::Used {
        let for_loop = function
            .block
            .stmts
            .iter_mut()
            .find_map(|stmt| match stmt {
                syn::Stmt::Expr(Expr::ForLoop(for_loop), _) => Some(for_loop),
                _ => None,
            })
            .expect("a for loop");
        for_loop.attrs.push(syn::parse_quote!(#[fail_fast]));
        let for_loop = for_loop.clone();
        Locals::of_function(&function.sig, &function.block)
            .places_used(&for_loop.pat, &for_loop.body)
    }

    /// The places the body of `function`'s one `for` loop shares, as written.
    fn shared(function: ItemFn) -> Vec<String> {
        used(function)
            .shared
            .iter()
            .map(|shared| {
                let place = &shared.place;
                quote::quote!(#place).to_string().replace(' ', "")
            })
            .collect()
    }

    /// The loop's [`Used::lendable`] variables.
    fn lendable(function: ItemFn) -> Vec<String> {
        used(function)
            .lendable
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn locals_used_in_the_bodys_own_flow_are_lent() {
        assert_eq!(
            lendable(parse_quote! {
                async fn f(items: Vec<u32>, rx: Receiver<u32>, limit: u32) {
                    let hits = Cell::new(0);
                    let total = Total::default();
                    let (seen, last, checked) = (Cell::new(0), Cell::new(0), Cell::new(0));
                    let stored = Cell::new(0);
                    for x in items {
                        hits.set(hits.get() + total.step);
                        let _ = rx.try_recv();
                        record(&total, x > limit);
                        println!("{} {:?}", hits.get(), total);
                        println!("{seen:?} {x}");    // in a format string
                        let _ = format!("{}", last.get());
                        assert!(checked.get() < 9, "at {x}"); // `assert!` with a message
                        let bump = |k| stored.set(stored.get() + k); // a closure kept
                        bump(x);
                        work().await;
                    }
                    let hits = hits.into_inner(); // bound again after the loop: no matter
                }
            }),
            ["hits", "total", "rx", "limit", "seen", "last", "checked", "stored"]
        );
        // `self` too, in the arguments of a formatting macro; not where a closure uses it.
        assert_eq!(
            lendable(parse_quote! {
                async fn f(&mut self, items: Vec<u32>) {
                    for x in items {
                        self.handle(x);
                        println!("{} {x}", self.name);
                        work().await;
                    }
                }
            }),
            ["self"]
        );
        assert_eq!(
            lendable(parse_quote! {
                async fn f(&mut self, items: Vec<u32>) {
                    for x in items {
                        self.handle(x);
                        items.iter().for_each(|k| self.note(*k));
                        work().await;
                    }
                }
            }),
            ["items"]
        );
    }

    #[test]
    fn locals_used_aside_or_bound_again_are_not_lent() {
        assert_eq!(
            lendable(parse_quote! {
                async fn f(items: Vec<u32>, names: &[String]) {
                    let (a, b, c, d, e, g, h) = (Cell::new(0), 1, 2, 3, 4, 5, 6);
                    let cfg = Config::default();
                    let q = 1;
                    let q = q + 1;            // bound twice around the loop
                    for x in items {
                        q;
                        names.len();          // a shared reference: `Send` with `Sync` only
                        cfg.step;             // only through a field
                        let k = (|| a.get(), work().await); // in a closure beside an `.await`
                        let l = async { b };  // in an async block
                        assert!(c.get() > 0);   // in `assert!`, which quotes its source
                        if x > 9 { unreachable!("{c}") } // edition 2018 prints it as written
                        tracing::info!(n = c.get()); // a logged value
                        dbg!(c);              // in `dbg!`, which returns it
                        kv!(d);
                        unsafe { e };         // in `unsafe`
                        g;
                        if x > 1 { let g = 0; } // bound again in the body
                        #[fail_fast]
                        for y in 0..h {}      // in a parallel loop of the body
                        work().await;
                    }
                }
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn logged_values_are_lent_unless_a_field_is_named_by_them() {
        assert_eq!(
            lendable(parse_quote! {
                async fn f(items: Vec<u32>) {
                    let (a, b, c, d, e) = (Cell::new(0), Cell::new(0), 1, 2, 3);
                    for x in items {
                        tracing::info!(n = a.get(), x, "got {b:?} {}", c); // lent
                        tracing::debug!(d, "as a field's name"); // not lent
                        tracing::warn!(%e, "with a sigil"); // not lent
                        work().await;
                    }
                }
            }),
            // `{b:?}` is placed first: the message's inline names, then the arguments.
            ["b", "a", "c"]
        );
    }

    #[test]
    fn logged_values_leave_out_names_and_sigils() {
        let (values, message) = super::logged_values(quote::quote! {
            target: "app", count = seen.get(), ?item, %label, a.b = c, t = "{t}", "n = {n}", x == y
        });
        let values: Vec<String> = values
            .iter()
            .map(|value| quote::quote!(#value).to_string())
            .collect();
        let expected = [
            "seen . get ()",
            "item",
            "label",
            "c",
            "\"{t}\"",
            "\"n = {n}\"",
            "x == y",
        ];
        assert_eq!(values, expected);
        assert_eq!(
            message.map(|message| message.value()).as_deref(),
            Some("n = {n}")
        );
    }

    #[test]
    fn inline_format_arguments_are_found() {
        assert_eq!(
            super::inline_arguments("{a} {b:?} {{c}} {0} {} {d:>5} {1:e}"),
            ["a", "b", "d"]
        );
    }

    #[test]
    fn places_are_the_ones_a_closure_captures() {
        // Through `&self`, rustc captures `self`; through `&mut self` or an owned value, the
        // field itself (checked through a raw pointer: `&` of a packed struct's field is
        // refused).
        assert_eq!(
            shared(parse_quote! { fn f(&self, n: u32) { for x in 0..n { self.v.len(); } } }),
            ["self"]
        );
        assert_eq!(
            shared(parse_quote! { fn f(&mut self, n: u32) { for x in 0..n { self.v.len(); } } }),
            ["self.v"]
        );
        assert_eq!(
            shared(parse_quote! {
                fn f(items: &[u32]) {
                    let stats = Stats::new();
                    let seen = Cell::new(0);
                    for x in items { stats.total.add(*x); seen.set(1); println!("{}", stats.name); }
                }
            }),
            ["stats.total", "seen", "stats.name"]
        );
        // The body's own `count`, after its `let`, is not shared; the one before it is.
        assert_eq!(
            shared(parse_quote! {
                fn f(items: &[u32]) {
                    let count = Cell::new(0);
                    for x in items { let a = count.get(); let count = 1; count + a; }
                }
            }),
            ["count"]
        );
    }

    #[test]
    fn only_certain_variables_are_places() {
        // `None` bound as a pattern elsewhere is a variant; `max` bound after the loop is a
        // function here.
        assert!(shared(parse_quote! {
            fn f(items: &[u32]) {
                for x in items {
                    let p = if *x > 0 { None } else { Some(1) };
                    match p { None => continue, Some(n) => { max(n, 1); } }
                }
                let max = 3;
            }
        })
        .is_empty());
        // Called, with a variable of that name in scope: the variable, which shadows a
        // function of that name (a parameter `pred: F` called as `pred(x)`).
        assert_eq!(
            shared(parse_quote! {
                fn f(items: &[u32], g: impl Fn(u32)) { for x in items { g(*x); } }
            }),
            ["g"]
        );
        // Called, with an item of that name declared in the body: the item, which hides the
        // variable there.
        assert!(shared(parse_quote! {
            fn f(items: &[u32], check: &RefCell<u32>) {
                let max = Cell::new(0);
                for x in items {
                    use std::cmp::max;
                    fn check(x: u32) {}
                    max(*x, 3);
                    { check(*x); }
                }
            }
        })
        .is_empty());
        // A macro's arguments are not known to be expressions; the standard formatting
        // macros' plain variables are.
        assert_eq!(
            shared(parse_quote! {
                fn f(items: &[u32]) {
                    let size = 1;
                    let total = Cell::new(0);
                    let named = 2;
                    for x in items { kv!(size = x); println!("{} {} {n}", total, x + 1, n = named); }
                }
            }),
            ["total", "named"]
        );
        // What `unsafe` allows is not allowed outside it.
        assert!(shared(parse_quote! {
            fn f(items: &[u32], b: Bits) { for x in items { unsafe { b.i }; } }
        })
        .is_empty());
        // Assigned only: may not have a value yet.
        assert!(shared(parse_quote! {
            fn f(items: &[u32]) { let y; for x in items { y = 1; } }
        })
        .is_empty());
        // A parameter, a `let` before the loop, a pattern around it.
        assert_eq!(
            shared(parse_quote! {
                fn f(items: &[u32], limit: &Cell<u32>) {
                    let seen = Cell::new(0);
                    for x in items { limit.get(); seen.get(); }
                }
            }),
            ["limit", "seen"]
        );
    }

    #[test]
    fn lets_that_show_a_standard_container() {
        let container = |local: syn::Stmt| match local {
            syn::Stmt::Local(local) => super::container_let(&local),
            _ => unreachable!("a let"),
        };
        assert!(container(parse_quote!(let mut v = Vec::new();)));
        assert!(container(
            parse_quote!(let mut m = std::collections::HashMap::with_capacity(8);)
        ));
        assert!(container(parse_quote!(let mut v: Vec<u32> = make();)));
        assert!(container(parse_quote!(let mut v = vec![0; 4];)));
        assert!(container(parse_quote!(let mut s = format!("{x}");)));
        assert!(container(parse_quote!(let mut a = [0u8; 16];)));
        assert!(container(parse_quote!(let mut s = name.to_string();)));
        assert!(container(parse_quote!(let mut v = it.collect::<Vec<_>>();)));
        // A type of the user's own, or one the source does not show, may `push(&self)`.
        assert!(!container(parse_quote!(let mut bag = Bag::default();)));
        assert!(!container(parse_quote!(let mut v = other.clone();)));
        assert!(!container(
            parse_quote!(let mut q: SegQueue<u32> = SegQueue::new();)
        ));
        assert!(!container(parse_quote!(let mut v = it.collect();)));
    }

    #[test]
    fn lets_whose_type_a_later_use_may_give_are_unsettled() {
        let unsettled = |value: Expr| super::may_be_unsettled(&value);
        assert!(unsettled(parse_quote!(HashSet::new())));
        assert!(unsettled(parse_quote!(Vec::with_capacity(n))));
        assert!(unsettled(parse_quote!(Default::default())));
        // A constructor the list does not name, or a generic function: no argument settles
        // the type.
        assert!(unsettled(parse_quote!(Bag::empty())));
        assert!(unsettled(parse_quote!(empty_set())));
        assert!(unsettled(parse_quote!(None)));
        assert!(unsettled(parse_quote!(vec![])));
        assert!(unsettled(parse_quote!(Bag::empty().capped(3))));
        assert!(unsettled(parse_quote!((Vec::new(), 0))));
        assert!(unsettled(parse_quote!(Bag { items: Vec::new() })));
        // Settled where it is written: by a turbofish, an argument, or a value.
        assert!(!unsettled(parse_quote!(Bag::<u32>::empty())));
        assert!(!unsettled(parse_quote!(threshold_for(level))));
        assert!(!unsettled(parse_quote!(format!("{level}"))));
        assert!(!unsettled(parse_quote!(vec![1, 2])));
        assert!(!unsettled(parse_quote!(items.len())));
        assert!(!unsettled(parse_quote!((1, "a"))));
    }

    #[test]
    fn nothing_is_shared_when_the_function_is_unknown() {
        let for_loop: syn::ExprForLoop = parse_quote! {
            #[fail_fast] for s in items { drop(s); seen.get(); }
        };
        assert!(Locals::unknown()
            .places_used(&for_loop.pat, &for_loop.body)
            .shared
            .is_empty());
    }

    #[test]
    fn locals_built_from_capturing_closures_skip_it() {
        assert!(holds(parse_quote! {
            fn f(names: &[String]) {
                let seen = RefCell::new(HashSet::new());
                let unique = names.iter().filter(|n| seen.borrow_mut().insert(n.to_string()));
                let first = unique.take(3);
                for name in first {}
            }
        }));
        assert!(holds(parse_quote! {
            fn f(names: &[String], seen: &RefCell<u32>) {
                let mut slot = None;
                fill(&mut slot, names.iter().filter(|n| seen.borrow().len() > 0));
                for name in slot.unwrap() {}
            }
        }));
    }

    #[test]
    fn values_of_macros_that_may_write_a_closure_skip_it() {
        assert!(holds(parse_quote! {
            fn f(names: &[String]) {
                let seen = RefCell::new(HashSet::new());
                let unique = unique!(names, seen);
                for name in unique {}
            }
        }));
        assert!(holds(parse_quote! {
            fn f(a: &[u32], b: &[u32]) { for (x, y) in itertools::izip!(a, b) {} }
        }));
        // The standard macros write none of their own.
        assert!(!holds(parse_quote! {
            fn f(names: &[String]) { for n in names.iter().inspect(|n| println!("{n}")) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f() { let v = std::vec![1, 2]; for x in v.iter().map(|x| x * 2) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f(n: usize) { let v = vec![1, 2, 3]; for x in v.iter().map(|x| x * 2) {} }
        }));
        assert!(!holds(parse_quote! {
            fn f() { for line in include_str!("list.txt").lines().map(|l| l.trim()) {} }
        }));
    }
}
