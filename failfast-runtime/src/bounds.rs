//! The `Send` bounds of the thread loops' runtime API, named so that a type that is not `Send`
//! gets an error that says where it goes and what to write instead, rather than rustc's
//! "`dyn Error` cannot be sent between threads safely ... required for `Unique<dyn Error>`".
//!
//! Each is implemented for every `Send` type and means nothing more: generic code that calls
//! [`try_for_each`](crate::try_for_each) with `T: Send` items satisfies them, and should write
//! `Send` (rustc's help may suggest these traits by name instead; the error's note says so).
//!
//! ```
//! use failfast_runtime::try_for_each;
//!
//! /// Parses every string on 2 threads; any `Send` item type will do.
//! fn parse_all<T: AsRef<str> + Send>(items: Vec<T>) -> Result<(), std::num::ParseIntError> {
//!     try_for_each(items, 2, |s| s.as_ref().parse::<u32>().map(drop))
//! }
//! assert!(parse_all(vec!["1", "2"]).is_ok());
//! assert!(parse_all(vec![String::from("x")]).is_err());
//! ```

/// An item of a thread loop's input, which its pool threads run: `Send`.
#[diagnostic::on_unimplemented(
    message = "the items of a thread loop are sent to its pool threads, but `{Self}` cannot be sent between threads safely",
    label = "these items are not `Send`",
    note = "use `Arc` instead of `Rc`; borrowed items (`&T`) need `T: Sync`; or use `failfast::future::try_for_each`, whose iterations are futures on the caller's task",
    note = "in generic code, bound the type parameter with `Send`, which is all this trait asks"
)]
pub trait SentToPoolThreads: Send {}
#[diagnostic::do_not_recommend]
impl<T: Send> SentToPoolThreads for T {}

/// What a thread loop's iterations return (a failure, a mapped value), which comes back from
/// its pool threads: `Send`.
#[diagnostic::on_unimplemented(
    message = "what a thread loop's iterations return comes back from its pool threads, but `{Self}` cannot be sent between threads safely",
    label = "the iterations return `{Self}`, which is not `Send`",
    note = "for `Box<dyn Error>`, return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same; use `Arc` instead of `Rc`",
    note = "in generic code, bound the type parameter with `Send`, which is all this trait asks"
)]
pub trait SentFromPoolThreads: Send {}
#[diagnostic::do_not_recommend]
impl<T: Send> SentFromPoolThreads for T {}
