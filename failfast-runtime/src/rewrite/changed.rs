//! A standard container declared outside a parallel loop and changed by its body
//! (`self.items.push(x)`, `grid[i].push(x)`, `acc.totals.insert(k, v)`): iterations run at the
//! same time, so the sequential loop's change would race.
//!
//! The macro refuses such a change itself where the source shows the container's type (`let
//! mut v = Vec::new()`, `out: &mut Vec<u32>`). Through a field or an element the type is not
//! in the source, and a type of the user's own may have a `push(&self)` (a `SegQueue`, a
//! `DashMap`'s `insert`): there the rewrite asks rustc. Before each statement with a call of
//! a changing method (by name) on a place declared outside the body, it writes, in code that
//! never runs,
//!
//! ```text
//! changed_by_thread_iterations((&changes(addr_of!(self.items))).__failfast_changed());
//! ```
//!
//! The inherent method of `Changes<T>` for a standard container `T` gives `&T` (the container
//! behind any references and boxes), which does not implement [`NotChangedByThreads`]: rustc
//! reports the call with that trait's message, at the user's call, instead of its own
//! "cannot borrow as mutable, as it is a captured variable in a `Fn` closure" (it checks
//! borrows only in code whose types are sound). For any other type method lookup goes on
//! through `Deref` to [`ChangesAnotherType`]'s, which gives [`AnotherType`], and nothing is
//! reported. (Inherent methods, so that the rewrite imports no trait and no user's method of
//! the same name can come between.)
//!
//! The check reads the type, not which method the call picks: a trait of the user's own with
//! a `push(&self)` implemented for a `Vec` (or a `take(&self)` for an `Option`), which the call
//! would pick before `Vec::push`, is reported as a change.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::marker::PhantomData;

/// A container of the standard library whose changing methods (`push`, `insert`, `extend`,
/// `sort`, `clear`, ...) all take `&mut self`, with what it is behind references and boxes:
/// the collections, `String`, `PathBuf`, `OsString`, arrays, and `Option` (`insert`,
/// `get_or_insert`).
pub trait StdContainer {
    type Container;
}

macro_rules! containers {
    ($($container:ident<$($param:ident),*>),* $(,)?) => {$(
        impl<$($param),*> StdContainer for $container<$($param),*> {
            type Container = Self;
        }
    )*};
}
containers!(
    Vec<T>,
    VecDeque<T>,
    LinkedList<T>,
    BinaryHeap<T>,
    HashMap<K, V, S>,
    HashSet<T, S>,
    BTreeMap<K, V>,
    BTreeSet<T>,
);

impl StdContainer for String {
    type Container = Self;
}

impl StdContainer for std::path::PathBuf {
    type Container = Self;
}

impl StdContainer for std::ffi::OsString {
    type Container = Self;
}

impl<T> StdContainer for Option<T> {
    type Container = Self;
}

impl<T, const N: usize> StdContainer for [T; N] {
    type Container = Self;
}

/// A kind of standard container, and the rewrite's method that asks rustc whether a place is
/// one: `$kind` behind a reference or a box is the container itself; [`Changes`]'s `$asks`
/// gives the container for a `$kind`, and for any other type, through `Deref`,
/// [`ChangesAnotherType`]'s gives [`AnotherType`] (see the module's documentation).
macro_rules! container_kind {
    ($kind:ident, $asks:ident) => {
        impl<C: $kind + ?Sized> $kind for &C {
            type Container = C::Container;
        }

        impl<C: $kind + ?Sized> $kind for &mut C {
            type Container = C::Container;
        }

        impl<C: $kind + ?Sized> $kind for Box<C> {
            type Container = C::Container;
        }

        impl<T: ?Sized + $kind> Changes<'_, T> {
            #[doc = concat!("The container, a [`", stringify!($kind), "`]: see the module's documentation.")]
            pub fn $asks(&self) -> &T::Container {
                unreachable!("only in the rewrite's checks, which never run")
            }
        }

        impl<T: ?Sized> ChangesAnotherType<'_, T> {
            #[doc = concat!("Not a [`", stringify!($kind), "`]: the borrow checker decides.")]
            #[inline(always)]
            pub fn $asks(&self) -> &AnotherType {
                &AnotherType
            }
        }
    };
}
container_kind!(StdContainer, __failfast_changed);

/// A standard container that `take` and a one-argument `replace` change: `Option`
/// (`take()`, `replace(v)`) and the sets (`take(&v)`, `replace(v)`), behind any references and
/// boxes. Not the others: a `Vec<u8>`'s or an array's `take(n)` is `io::Read`'s, which reads
/// through a copy of a `&[u8]` and changes nothing.
pub trait TakenFrom {
    type Container;
}

impl<T> TakenFrom for Option<T> {
    type Container = Self;
}

impl<T, S> TakenFrom for HashSet<T, S> {
    type Container = Self;
}

impl<T> TakenFrom for BTreeSet<T> {
    type Container = Self;
}

container_kind!(TakenFrom, __failfast_taken);

/// The receiver of a changing method: see the module's documentation.
pub struct Changes<'a, T: ?Sized>(ChangesAnotherType<'a, T>);

/// See [`Changes`].
pub struct ChangesAnotherType<'a, T: ?Sized>(PhantomData<&'a T>);

/// See [`Changes`]; the place is only read for its type, through a raw pointer, which a
/// packed struct's field allows where `&` is refused.
#[inline(always)]
pub fn changes<'a, T: ?Sized>(_: *const T) -> Changes<'a, T> {
    unreachable!("only in the rewrite's checks, which never run")
}

/// A standard container whose inherent `pop` takes `&mut self`: `Vec`, `BinaryHeap`,
/// `String` (see [`NotTakenFromByTheHead`]).
pub trait Popped {
    type Container;
}

impl<T> Popped for Vec<T> {
    type Container = Self;
}

impl<T> Popped for BinaryHeap<T> {
    type Container = Self;
}

impl Popped for String {
    type Container = Self;
}

container_kind!(Popped, __failfast_popped);

/// A standard container whose inherent `pop_front` and `pop_back` take `&mut self`.
pub trait PoppedAtEnds {
    type Container;
}

impl<T> PoppedAtEnds for VecDeque<T> {
    type Container = Self;
}

impl<T> PoppedAtEnds for LinkedList<T> {
    type Container = Self;
}

container_kind!(PoppedAtEnds, __failfast_popped_at_ends);

/// A standard container whose inherent `pop_first` and `pop_last` take `&mut self`.
pub trait PoppedInOrder {
    type Container;
}

impl<K, V> PoppedInOrder for BTreeMap<K, V> {
    type Container = Self;
}

impl<T> PoppedInOrder for BTreeSet<T> {
    type Container = Self;
}

container_kind!(PoppedInOrder, __failfast_popped_in_order);

/// The standard library's types that some methods change whatever else they are: an
/// iterator's `next`, a buffered reader's `read_line`, a hasher's `write_u32`, all `&mut
/// self`. A closed list, by kind, rather than every type that implements `Iterator`,
/// `io::BufRead` or `Hasher`: a type of the user's own may implement the trait and have a
/// `next(&self)` of its own, which the call picks, and asking whether a `Vec<_>` is an
/// `io::Write` would make rustc infer `Vec<u8>`. None of these has such a method of its own,
/// and each is generic over all its parameters. (A trait of the user's own with such a method
/// on `&self`, implemented for one of them, would be picked by the call: see `races.rs` in
/// the macro crate.)
macro_rules! changed_kind {
    ($kind:ident, $asks:ident: $($ty:ty $(where [$($params:tt)*])?),* $(,)?) => {
        #[doc = concat!("See [`", stringify!($asks), "`](Changes::", stringify!($asks), ").")]
        pub trait $kind {
            type Container: ?Sized;
        }
        $(
            impl<$($($params)*)?> $kind for $ty {
                type Container = Self;
            }
        )*
        container_kind!($kind, $asks);
    };
}

use std::collections::{btree_map, btree_set, hash_map, hash_set, vec_deque};
use std::io::{BufReader, Cursor};
use std::iter::{
    Chain, Cloned, Copied, Cycle, Enumerate, Filter, FilterMap, FlatMap, Flatten, Map, Peekable,
    Rev, Skip, StepBy, Take, Zip,
};

changed_kind!(StdIterator, __failfast_stepped:
    std::slice::Iter<'a, T> where ['a, T],
    std::slice::IterMut<'a, T> where ['a, T],
    std::vec::IntoIter<T> where [T],
    std::ops::Range<T> where [T],
    std::ops::RangeInclusive<T> where [T],
    std::ops::RangeFrom<T> where [T],
    std::str::Chars<'a> where ['a],
    std::str::CharIndices<'a> where ['a],
    std::str::Bytes<'a> where ['a],
    std::str::Lines<'a> where ['a],
    std::str::SplitWhitespace<'a> where ['a],
    Peekable<I> where [I: Iterator],
    Enumerate<I> where [I],
    Map<I, F> where [I, F],
    Filter<I, P> where [I, P],
    FilterMap<I, F> where [I, F],
    FlatMap<I, U, F> where [I, U: IntoIterator, F],
    Flatten<I> where [I: Iterator<Item: IntoIterator>],
    Zip<A, B> where [A, B],
    Chain<A, B> where [A, B],
    Rev<I> where [I],
    Skip<I> where [I],
    Take<I> where [I],
    StepBy<I> where [I],
    Cycle<I> where [I],
    Copied<I> where [I],
    Cloned<I> where [I],
    hash_map::Iter<'a, K, V> where ['a, K, V],
    hash_map::IntoIter<K, V> where [K, V],
    hash_map::Keys<'a, K, V> where ['a, K, V],
    hash_map::Values<'a, K, V> where ['a, K, V],
    btree_map::Iter<'a, K, V> where ['a, K, V],
    btree_map::IntoIter<K, V> where [K, V],
    btree_map::Keys<'a, K, V> where ['a, K, V],
    btree_map::Values<'a, K, V> where ['a, K, V],
    hash_set::Iter<'a, T> where ['a, T],
    hash_set::IntoIter<T> where [T],
    btree_set::Iter<'a, T> where ['a, T],
    btree_set::IntoIter<T> where [T],
    vec_deque::Iter<'a, T> where ['a, T],
    vec_deque::IntoIter<T> where [T],
    std::option::IntoIter<T> where [T],
    std::env::Args,
    std::io::Lines<B> where [B],
    std::io::Bytes<R> where [R],
    std::sync::mpsc::Iter<'a, T> where ['a, T],
    std::sync::mpsc::IntoIter<T> where [T],
    dyn Iterator<Item = T> + 'a where ['a, T],
    dyn Iterator<Item = T> + Send + 'a where ['a, T],
    dyn Iterator<Item = T> + Send + Sync + 'a where ['a, T],
);

changed_kind!(StdBufReader, __failfast_read_buffered:
    BufReader<R> where [R],
    std::io::StdinLock<'a> where ['a],
    Cursor<T> where [T],
    std::io::Empty,
);

changed_kind!(StdHasher, __failfast_hashed: std::hash::DefaultHasher);

// tokio's receivers, whose `recv` takes `&mut self` (std's and crossbeam's take `&self`): an
// actor's `while let Some(msg) = self.rx.recv().await { self.handle(msg).await? }`.
#[cfg(feature = "tokio")]
changed_kind!(TokioReceiver, __failfast_received:
    tokio::sync::mpsc::Receiver<T> where [T],
    tokio::sync::mpsc::UnboundedReceiver<T> where [T],
    tokio::sync::broadcast::Receiver<T> where [T],
);
#[cfg(not(feature = "tokio"))]
changed_kind!(TokioReceiver, __failfast_received:);

impl<'a, T: ?Sized> std::ops::Deref for Changes<'a, T> {
    type Target = ChangesAnotherType<'a, T>;
    fn deref(&self) -> &ChangesAnotherType<'a, T> {
        &self.0
    }
}

/// The receiver of a changing method is not a standard container: the borrow checker decides.
pub struct AnotherType;

/// A standard container changed by a thread loop's iterations.
#[diagnostic::on_unimplemented(
    message = "the iterations of a parallel loop run at the same time on several threads, so changing the `{Self}` they share is a data race",
    label = "this changes the `{Self}` declared outside the loop",
    note = "share a `Mutex<{Self}>` (an atomic, `AtomicUsize::fetch_add`, for a count), or collect the values with `failfast::try_map` (in input order)"
)]
pub trait NotChangedByThreads {}
#[diagnostic::do_not_recommend]
impl NotChangedByThreads for AnotherType {}

/// A standard container changed by an async loop's iterations.
#[diagnostic::on_unimplemented(
    message = "the iterations of a parallel loop run at the same time, as futures that take turns on one task, so changing the `{Self}` they share is a conflict between their borrows",
    label = "this changes the `{Self}` declared outside the loop",
    note = "share a `Mutex<{Self}>` (an atomic, `AtomicUsize::fetch_add`, for a count; a `RefCell<{Self}>` if the function's future need not be `Send`), or collect the values with `failfast::future::try_map` (in input order)"
)]
pub trait NotChangedByFutures {}
#[diagnostic::do_not_recommend]
impl NotChangedByFutures for AnotherType {}

/// A standard container that a `while let` loop's head takes its items from with its own
/// `pop`, `pop_front`, `pop_back`, `pop_first` or `pop_last` (`self.queue.pop_front()`),
/// which take `&mut self`, while the iterations use it too (`self.queue.len()`, or
/// `self.check(x)` with the whole `self`): the macro cannot see a field's type, so the rewrite
/// asks rustc, by method ([`Popped`], [`PoppedAtEnds`], [`PoppedInOrder`]); so for a standard
/// iterator's `next`, `next_back` and `nth` (`StdIterator`) and a tokio receiver's `recv`
/// and `recv_many` (`TokioReceiver`). Any other type (a queue of the user's own with a
/// `pop(&self)`, crossbeam's `recv(&self)`) is left to rustc.
#[diagnostic::on_unimplemented(
    message = "the head of this parallel `while let` loop takes its items from the `{Self}` that the iterations use, while they run: a data race",
    label = "the head changes this `{Self}` while iterations that use it run",
    note = "borrow apart, before the loop, the fields the body needs (`let cfg = &self.cfg;`), so that it does not use all of `self` (a method of `self` does); or compute what the body needs in the head and bind it with the item (`while let Some((x, left)) = q.pop_front().map(|x| (x, q.len()))`), or recurse (the same parallel loop reached again inside an iteration shares one limit), or send the work on a channel whose receiver the head reads"
)]
pub trait NotTakenFromByTheHead {}
#[diagnostic::do_not_recommend]
impl NotTakenFromByTheHead for AnotherType {}

/// See [`NotTakenFromByTheHead`].
#[inline(always)]
pub fn taken_by_the_head(_: &dyn NotTakenFromByTheHead) {}

/// See the module's documentation. A trait object, so that rustc's error quotes no line of
/// this crate ("required by a bound in ..").
#[inline(always)]
pub fn changed_by_thread_iterations(_: &dyn NotChangedByThreads) {}

/// See [`changed_by_thread_iterations`].
#[inline(always)]
pub fn changed_by_async_iterations(_: &dyn NotChangedByFutures) {}

/// An index of the checked place, taken by reference: the check gives it its type and moves
/// nothing (an `Index<String>` would move its key).
#[inline(always)]
pub fn an_index<T>(_: &T) -> T {
    unreachable!("only in the rewrite's checks, which never run")
}
