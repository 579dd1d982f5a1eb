//! The locals of a function that its async loop's iterations use, lent to them so that the
//! loop's future is `Send` whenever the sequential loop's would be.
//!
//! The sequential loop's future holds such a local by value: it is `Send` when the local is.
//! Each iteration of the parallel loop is a future of its own, and one that holds a reference
//! to the local (`&Cell<u32>`) is `Send` only when the local is also `Sync`, so a body that
//! calls `hits.set(..)` on a `Cell`, or `try_recv()` on an mpsc `Receiver`, made the loop's
//! future not `Send` where the sequential one was (and `tokio::spawn` refused it).
//!
//! All the iterations are polled by the loop's future, on whatever thread polls it, and they
//! move between threads with it and with the local, as one value. So where the macro sees
//! that every use of a local in the body is the iterations' own code (not inside an async
//! block, a macro, an `unsafe` block or a parallel loop of the body, which may run
//! elsewhere), the loop holds a [`Lent`] of the local, `Send` when the local is, and each of
//! those uses becomes `(*lent.get())`: the same place, of the same type, reached through a
//! reference that the iteration takes where it uses it and does not keep. A closure never
//! holds the `Lent` (it could be sent to another thread): a closure of a statement with no
//! `.await` uses a reference taken before the statement, `let hits = lent.get();`, which it
//! captures as the sequential loop's closure captures `&hits`, `Send` only when the local is
//! `Sync` (`self`, which cannot name a binding, is not lent where a closure uses it, and has
//! a [`View`] named `this` in a macro's arguments, used as `(*this.0)`). The arguments of the
//! standard formatting macros (`println!("{}", hits.get())`, and `{hits}` in a format string,
//! which becomes a named argument; `assert!` only with a message, as it prints its condition's
//! source otherwise) are the iterations' own code too.

use std::marker::PhantomData;
use std::ptr::NonNull;

/// A local of the function, lent by the async loop that holds this to its iterations (see
/// `rewrite::lent`).
pub struct Lent<'a, T: ?Sized> {
    local: NonNull<T>,
    borrow: PhantomData<&'a T>,
}

// SAFETY: only the rewrite's code names a `Lent` (its name is the expansion's own): the
// iterations of the one async loop that holds it, in their own flow, never inside a closure,
// async block, macro or parallel loop of theirs that could run on another thread. They are
// all polled by the loop's future, which moves between threads with them and with the local
// as one value, as the sequential loop's future moves with the local it holds: so sending the
// loop's future sends the local, which needs `T: Send`. The iterations share the `Lent` (so
// `Sync`), but they run on the one thread that polls the loop's future, never two at once,
// and what they take from it is a `&T`, which reaches another thread only if `T: Sync`.
unsafe impl<T: ?Sized + Send> Send for Lent<'_, T> {}
// SAFETY: see `Send` above.
unsafe impl<T: ?Sized + Send> Sync for Lent<'_, T> {}

impl<'a, T: ?Sized> Lent<'a, T> {
    /// Lends `local` for as long as the loop borrows it.
    #[inline]
    pub fn new(local: &'a T) -> Self {
        Lent {
            local: NonNull::from(local),
            borrow: PhantomData,
        }
    }

    /// The local, for one use in an iteration.
    #[inline]
    pub fn get(&self) -> &'a T {
        // SAFETY: `local` comes from the `&'a T` given to `new`, whose borrow lasts for `'a`:
        // nothing moves or changes the local meanwhile.
        unsafe { self.local.as_ref() }
    }

    /// A view of `self` for a formatting macro's arguments, which may send it where a `&T`
    /// goes (see [`View`]).
    #[inline]
    pub fn view(&self) -> View<'a, T> {
        View(self.get())
    }
}

/// A lent `self` where a formatting macro's arguments use it: a reference to the `self`
/// binding (`&&mut Self`, `&Box<Self>`), `Send` where that reference is, whose uses are
/// `(*view.0)`. Another local's view is a plain reference bound under the local's name;
/// `self` cannot name a binding, and for a plain reference of another name, rustc would
/// suggest a type for that binding where a `&mut self` method is called on it. (Where a
/// closure uses `self`, it is not lent: an edition-2018 closure would capture the view
/// itself, which lives only as long as its statement.)
pub struct View<'a, T: ?Sized>(pub &'a T);

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn is_send<T: Send>(_: &T) {}

    #[test]
    fn uses_reach_the_local_and_keep_its_lifetime() {
        let hits = Cell::new(1u32);
        let names = vec!["a".to_string()];
        let first = {
            let (lent_hits, lent_names) = (Lent::new(&hits), Lent::new(&names));
            (*lent_hits.get()).set((*lent_hits.get()).get() + 1);
            is_send(&lent_hits);
            (*lent_names.get()).first()
        };
        assert_eq!(hits.get(), 2);
        assert_eq!(first.map(String::as_str), Some("a"));
    }
}
