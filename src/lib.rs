//! Parallel `for` loops that stop at the first error.
//!
//! Put `#[fail_fast(workers = 8)]` on a function and its loop runs at most 8 iterations at
//! once, pulls its input lazily, and returns the first `Err` exactly as `?` would, after
//! telling the running iterations to stop:
//!
//! ```
//! use failfast::fail_fast;
//! # use std::collections::HashSet;
//! # #[derive(Debug)] struct Error(String);
//! # struct Bucket(HashSet<String>);
//! # impl Bucket {
//! #     fn download(&self, name: &str) -> Result<(), Error> {
//! #         if self.0.contains(name) { Ok(()) } else { Err(Error(format!("no {name}"))) }
//! #     }
//! # }
//!
//! #[fail_fast(workers = 8)]
//! fn download_all(names: impl Iterator<Item = String>, bucket: &Bucket) -> Result<(), Error> {
//!     for name in names {
//!         bucket.download(&name)?; // the first Err cancels the rest and leaves the fn, like `?`
//!     }
//!     Ok(())
//! }
//!
//! let bucket = Bucket(["a", "b"].map(String::from).into());
//! assert!(download_all(["a", "b"].map(String::from).into_iter(), &bucket).is_ok());
//! assert!(download_all(["a", "x", "b"].map(String::from).into_iter(), &bucket).is_err());
//! ```
//!
//! # Where the attribute goes
//!
//! - **On a function** (free function, method, trait default method, `async fn`, generic or
//!   not). This is the form for stable Rust. In an `async fn` (or async block), a loop whose
//!   body awaits is an **async loop**: see [Async loops](#async-loops).
//!   It rewrites the function's one *outermost* `for` loop: a loop not inside another loop, a
//!   closure, an async block or a nested function (loops inside `if`, `match` or blocks
//!   count); if it has none, its one outermost `while let` loop (see
//!   [`while let` loops](#while-let-loops)). `#[tokio::main]`, `#[tokio::test]`,
//!   `#[tracing::instrument]` (any form) and `#[async_trait]` written above `#[fail_fast]`
//!   wrap the body in a block of their own first; the loops you wrote in the body still
//!   count as the function's. With no
//!   such loop, or several, it is a compile
//!   error that asks you to mark the
//!   loops that should run in parallel: inside the function, `#[fail_fast]` or
//!   `#[fail_fast(workers = 16)]` on a loop (closures included) marks it, with the function's
//!   options as defaults, and then only marked loops run in parallel. Loops nested in a
//!   parallel loop stay sequential unless marked. A function (or method) nested in the
//!   attributed one is a function of its own: its marked loops run in parallel without the
//!   outer function's options, which may name parameters it cannot see. (One with an
//!   attribute macro of its own, which may be `#[fail_fast]` under another name, needs
//!   `#[fail_fast]` written on it.)
//! - **On a `for` or `while let` loop directly**, on nightly with
//!   `#![feature(stmt_expr_attributes, proc_macro_hygiene)]`. On stable, rustc itself refuses
//!   attributes on statements ("attributes on expressions are experimental"). This form sees
//!   only the loop: a value declared before it that a `return` moves (see below) is kept
//!   but not given back, so code after the loop cannot use it unless it is `Copy` (rustc's
//!   "use of moved value"); the function form gives it back.
//!
//! Options: `workers = N` (a literal is checked at compile time; any other `usize`
//! expression is evaluated once when the loop starts, and 0 panics; by default
//! [`default_workers()`], the available parallelism), `crate = path` or `crate = "path"`
//! for a renamed dependency, and what stops the loop from outside: `stop = token` (a
//! [`StopToken`], a reference to one, or an `Arc`, `Rc` or `Box` holding one),
//! `timeout = duration` or `deadline = instant` (see
//! [Stopping a loop from outside](#stopping-a-loop-from-outside)).
//!
//! # What the parallel loop does
//!
//! The same as the sequential loop, except for order and parallelism:
//!
//! - **`?`** converts errors with `From` as in the sequential loop, and the loop's first
//!   failure leaves the enclosing function (or closure) the way that `?` would. **`return`**
//!   ends the whole loop the same way: the first iteration to return (or fail), by time, wins,
//!   the others are cancelled, and the function returns that value. A function returning `()`
//!   (or anything else) is fine when the loop has no `?`. The function
//!   returns `Result<T, E>` (aliases such as `io::Result<T>` or `anyhow::Result<T>`
//!   included) or `Option<T>`; a closure holding a marked loop gets its return type from its
//!   tail (`Ok::<(), E>(())`) or from how it is used, as an async block does. A `return`
//!   or `continue` written in the arm of a `select!` (tokio's, futures', crossbeam's) is one
//!   of the body's. Other macros in the body are not looked into: the `return Err(..)` of
//!   anyhow's `bail!` fails the loop like `?`, but a macro that expands to `return Ok(..)` is
//!   refused at the macro call (write that `return` in the body itself). **`continue`** ends
//!   one iteration.
//! - **The input** (any `IntoIterator`) is evaluated once and pulled lazily. At most
//!   `workers` items are pulled ahead of the running iterations; when iterations take only
//!   microseconds, items go out in small batches, never more than 64 per worker. Endless
//!   inputs work in bounded memory. An item pulled in a batch does not wait behind another
//!   while a worker has nothing to do: an idle worker takes what a busy one has pulled and
//!   not started, so iterations may wait for each other (at a `Barrier` of `workers`). An
//!   input split by index is not shared out again once claimed, but claims take at most half
//!   an equal share of the items left, which keeps such meetings going too; a long item can
//!   still keep a few items of its claim waiting while other workers finish. Known limits:
//!   after about 320 items in a row that take nanoseconds, one worker may run a lazy `Send`
//!   input alone, pulling each item as it runs it, and an iteration that then waits for
//!   another one to start waits for ever. An input whose `next()` waits until an item it gave
//!   earlier has been handled (a request/response channel) runs as the sequential loop does:
//!   each item can start before the next is asked for, also when the OS refuses every pool
//!   thread. But it may be asked for more while the loop ends early, and then waits for ever:
//!   read such a channel with `while let Ok(job) = rx.recv()`, whose head is evaluated only
//!   when a thread is free to start the value at once.
//! - **The calling thread works too.** The loop's expansion looks at the input's type, at
//!   compile time, and picks how to feed the workers:
//!   - split by index, with no hand-over per item: integer ranges, slices, `&Vec`, `&[T; N]`,
//!     `iter()` and `iter_mut()` over them, owned `Vec`s and arrays;
//!   - any other input that is `Send`: pulled by whichever worker is free (items so fast
//!     that sharing them costs more than running them are run by one worker alone, like
//!     the sequential loop, until they slow down);
//!   - an input that is not `Send` (an iterator holding an `Rc`, say): pulled by the
//!     calling thread, for `workers` pool threads.
//!
//!   rustc cannot tell whether a closure of the function is `Send` while it picks the path,
//!   so an input whose adapters' closures may capture a local that is not known to be `Send`
//!   and `Sync` (`.filter(|n| seen.borrow_mut().insert(..))` with a `RefCell`, or any `let`
//!   local) takes the third path, and runs. Closures that capture nothing, or only parameters
//!   and `let`s of plain types (`factor: u64`, `names: &[String]`, `let k: u64 = ..`, `let k
//!   = 3`), keep the second: when items take nanoseconds, write the type of a captured `let`,
//!   or do the mapping in the body, to stay on it. An input built
//!   before the loop is followed through its `let`s, and one made by a macro other than the
//!   standard library's (which may write a closure its call does not show) takes the third
//!   path too.
//!
//!   On the first two paths the calling thread is one of the `workers`, with `workers - 1`
//!   pool threads, and `workers = 1` runs on the calling thread alone.
//! - **The body** runs on those threads and may borrow local variables. Items and the error
//!   type must be `Send`, and what the body borrows must be `Sync`, also with `workers = 1`
//!   (the error type only if the body can end the loop: a loop with no `?`, no `return`, no
//!   marked loop and no macro but the standard library's printing, formatting and asserting
//!   ones sends nothing back). A loop that only fails (`?`, `return Err(..)`) sends back its
//!   error alone: the `Ok` value the function goes on to return need not be `Send`, also in
//!   a `Result<impl Trait, E>` or a closure's inferred type; a `return` of any other value
//!   sends that value.
//!   When they are not, the error names what is not, at the loop, and what to use instead:
//!   the `Rc` inside an item's `Some(..)` or a return value's `Err(..)`, a field of a local the
//!   body reads (`names.all`), a variable it names only in `println!("{seen:?}")`,
//!   `anyhow::bail!` or `tracing::info!`.
//!   Never more than `workers` iterations run at once, and exactly `workers` when enough
//!   items are ready.
//! - **Recursion shares one limit.** When the loop is reached again inside one of its own
//!   iterations (a recursive directory walk), the inner run joins the outer one's limit:
//!   `workers = 4` means 4 iterations at once across the whole recursion, on about 4
//!   threads, and an iteration waiting for its inner run works on that run's items itself,
//!   so it cannot deadlock. A recursion through another loop (the loop over a directory's
//!   entries calls the walk again) joins the first run's group too, and its threads stay
//!   bounded whatever its depth; but the other loop's threads that reach the loop again run
//!   its iterations as well, so there the limits multiply (at most about `workers` of one
//!   times `workers` of the other). Different loops nested in each other keep their own
//!   limits, which multiply.
//! - **The first failure wins.** Failures of iterations that were already running are
//!   dropped.
//!
//! # Cancellation
//!
//! Once a failure is recorded, nothing more is pulled from the input, no iteration starts
//! (except at most `workers - 1` that other workers were starting in that same instant),
//! items pulled but not started are dropped (each on its own: a panicking `Drop` among them
//! never aborts, and the first panic is the one resumed), and the loop returns as soon as the
//! running iterations have finished. The items still in the input are dropped with it, as
//! the sequential loop drops them: a `Vec`'s `IntoIter` aborts the process on a second
//! panicking `Drop` among its items, in either loop. A running iteration is never
//! interrupted; long ones poll [`cancelled()`] and return early:
//!
//! ```
//! use failfast::{cancelled, fail_fast};
//! use std::time::Duration;
//!
//! #[fail_fast(workers = 4)]
//! fn process(jobs: &[u32]) -> Result<(), String> {
//!     for &job in jobs {
//!         if job == 3 {
//!             Err(format!("job {job} failed"))?;
//!         }
//!         for _step in 0..1_000 {
//!             if cancelled() {
//!                 break; // another job failed: stop working on this one
//!             }
//!             std::thread::sleep(Duration::from_millis(1));
//!         }
//!     }
//!     Ok(())
//! }
//!
//! assert_eq!(process(&[1, 2, 3, 4]), Err("job 3 failed".to_string()));
//! ```
//!
//! A parallel loop inside another's body inherits its cancellation: when the outer loop
//! fails or is stopped, `cancelled()` is true in the inner iterations and the inner loop
//! starts nothing new. A thread loop that has not finished when that happens does not
//! return: `Ok(())` would claim the items it skipped, and a `try_map` would hand back part of
//! its values, on which the code after it would build (commit a batch, write a file).
//! Instead it leaves the outer iteration at once, as a panic would, unwinding its frames
//! (their `Drop`s run; a `std` `Mutex` guard held across it is poisoned), but with no panic
//! message and no panic for the outer loop, which drops that iteration and returns its own
//! failure or stop. A `catch_unwind` around the inner loop (an executor's task too) catches
//! it: give the payload, [`CutShort`], back with `resume_unwind`. An inner loop that failed
//! or was stopped on its own returns that, and one that had finished (every item run, its
//! result settled) is not affected. A destructor run while a panic unwinds gets its loop's
//! success value instead, as does a build with `panic = "abort"`: unwinding again would
//! abort. So would unwinding out of an `extern "C"` function: a loop run in one that an
//! outer loop may cut short needs a `catch_unwind` there. An async loop's iterations are
//! dropped instead: a loop nested in one is dropped with it.
//!
//! # Stopping a loop from outside
//!
//! A [`StopToken`] stops loops from anywhere (another thread, a Ctrl-C handler, a timer task);
//! a timeout or a deadline stops a thread loop at that time. With the macro they are options
//! (`stop = token`, `timeout = duration`, `deadline = instant`); without it,
//! [`Loop`] and [`future::Loop`] take them:
//!
//! ```
//! use failfast::{cancelled, Loop, StopToken, Stopped};
//! use std::time::Duration;
//!
//! let stop = StopToken::new();
//! // A Ctrl-C handler would call `stop.stop()`; here another thread does, after a moment.
//! let result: std::io::Result<()> = std::thread::scope(|s| {
//!     s.spawn(|| {
//!         std::thread::sleep(Duration::from_millis(20));
//!         stop.stop();
//!     });
//!     Loop::new(8).stop(&stop).timeout(Duration::from_secs(600)).try_for_each(0.., |_| {
//!         while !cancelled() {
//!             std::thread::sleep(Duration::from_millis(1)); // long work, checking in
//!         }
//!         Ok(())
//!     })
//! });
//! let error = result.unwrap_err();
//! assert_eq!(error.kind(), std::io::ErrorKind::Interrupted); // `TimedOut` for the timeout
//! assert_eq!(error.into_inner().unwrap().downcast_ref::<Stopped>(), Some(&Stopped::by_token()));
//! ```
//!
//! With the macro, the loop leaves the function with the stop the way `?` would:
//!
//! ```
//! use failfast::{cancelled, fail_fast, StopToken};
//! use std::time::Duration;
//!
//! #[fail_fast(workers = 4, stop = stop, timeout = Duration::from_secs(600))]
//! fn render_all(scenes: &[u32], stop: &StopToken) -> std::io::Result<()> {
//!     for _scene in scenes {
//!         while !cancelled() {
//!             std::thread::sleep(Duration::from_millis(1)); // long work, checking in
//!         }
//!     }
//!     Ok(())
//! }
//!
//! let stop = StopToken::new();
//! let clone = stop.clone(); // what a Ctrl-C handler would hold
//! std::thread::spawn(move || {
//!     std::thread::sleep(Duration::from_millis(20));
//!     clone.stop();
//! });
//! let error = render_all(&[1, 2, 3, 4, 5, 6], &stop).unwrap_err();
//! assert_eq!(error.kind(), std::io::ErrorKind::Interrupted);
//! ```
//!
//! - **When the token is stopped, or the timeout or deadline passes, before the loop has
//!   ended**, the loop stops exactly as at a failure: nothing more is pulled, no iteration
//!   starts (but at most `workers - 1` racing), [`cancelled()`] becomes true in the running
//!   thread iterations (and in loops nested in them; a stop on the outermost run of a
//!   recursion stops the whole walk), async in-flight iterations are dropped at once, and a
//!   thread loop returns once its running iterations have finished. Threads and tasks that
//!   wait on the loop are woken at once: nothing polls the token, and a deadline is a timed
//!   wait (one timer thread per process sleeps until the earliest deadline of any loop). A
//!   call of the user's code that blocks is not interrupted: a body's, or an input's `next()`
//!   waiting on a channel (`for job in rx.iter()`, a thread loop's `while let` head in
//!   `rx.recv()`), which the loop waits for before it returns. Read such a channel with
//!   `recv_timeout`, or drop its senders when stopping.
//! - **What the loop returns**: `Err(Stopped)`, leaving the function the way `?` on it would:
//!   converted with `From` into the function's error type (`anyhow::Error`,
//!   `Box<dyn Error + Send + Sync>`, an enum with a `#[from] Stopped` variant, and
//!   `io::Error`, whose `From<Stopped>` gives the kind `TimedOut` for a timeout or deadline
//!   and `Interrupted` for a token); `None` in an `Option` function; a `()` function simply
//!   returns. [`Stopped::timed_out()`] says whether a timeout or deadline stopped it.
//! - **First exit wins**, the stop included: a failure or `return` recorded before the stop is
//!   what the loop returns; once the stop is recorded, failures of the iterations that were
//!   running (often caused by the stop, e.g. an iteration that returns `Err` because it saw
//!   `cancelled()`) are dropped. A panic still wins over all. A stop that comes after the
//!   loop has finished changes nothing; a token stopped before the loop starts: nothing is
//!   pulled, nothing runs, the loop returns `Stopped`.
//! - **Tokens**: clones share one state; [`StopToken::child`] is stopped with its parent and
//!   can be stopped alone (one request of a server); [`StopToken::is_stopped`] is one atomic
//!   load; [`StopToken::wait`] blocks a thread until the stop. failfast never installs a
//!   signal handler: `examples/ctrl_c.rs` stops a token from the `ctrlc` crate's.
//! - **Async loops** take a token but no timeout: an async loop stops when its future is
//!   dropped, so wrap the call in the executor's timeout (`tokio::time::timeout(d, f(..))`)
//!   or stop the token from a timer task.
//!
//! # Panics
//!
//! A panicking iteration, or a panic in the input's `next()`, cancels the loop like a
//! failure. Once the running iterations have finished, the panic resumes on the calling
//! thread with its original payload; a panic always wins over an error. The runtime stays
//! usable afterwards.
//!
//! `workers = 1` is the sequential loop: one iteration at a time in input order, the same
//! first failure, nothing run after it. When the loop returns or unwinds, every iteration has
//! finished. Worker threads are reused by later loops; idle ones exit after 5 seconds.
//!
//! # Misuse is a compile error
//!
//! Each of these is rejected with an error on the offending token that says why and what to
//! write instead; all misuse in one function is reported in one compile.
//!
//! `break` (there is no "rest of the loop" to skip when other iterations already run):
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(items: &[i32]) -> Result<(), String> {
//!     for &item in items {
//!         if item < 0 { break; }
//!     }
//!     Ok(())
//! }
//! ```
//! Collecting into an outer collection (a data race; use [`try_map`] or a `Mutex`):
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(items: &[i32]) -> Result<Vec<i32>, String> {
//!     let mut doubled = Vec::new();
//!     for &item in items {
//!         doubled.push(item * 2);
//!     }
//!     Ok(doubled)
//! }
//! ```
//! Assigning to a variable declared outside the body (a data race):
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(items: &[u64]) -> Result<u64, String> {
//!     let mut total = 0;
//!     for &item in items {
//!         total += item;
//!     }
//!     Ok(total)
//! }
//! ```
//! Calling a callback taken as `FnMut` (a call changes it, and iterations call it at once;
//! take an `Fn`, or call it under a `Mutex` made before the loop):
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(items: &[u64], mut on_item: impl FnMut(u64) + Sync) {
//!     for &item in items {
//!         on_item(item);
//!     }
//! }
//! ```
//! A `?` in a function returning neither `Result` nor `Option` (the failure has nowhere to go):
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(items: &[&str]) {
//!     for item in items {
//!         let _: u64 = item.parse()?;
//!     }
//! }
//! ```
//! `workers = 0`, a negative, float or string `workers`, an unknown or repeated option:
//! ```compile_fail
//! #[failfast::fail_fast(workers = 0)]
//! fn f(items: &[u64]) -> Result<(), ()> {
//!     for item in items {}
//!     Ok(())
//! }
//! ```
//! A `return` (or `bail!(e)`) may move a value declared before the loop, as the sequential
//! loop's does (`Ok(fallback)`, `Ok(cfg.name)`, `Err(msg.into())`, `Ok(vec![fallback])`), when
//! the loop mentions it nowhere else, it is declared in the block that holds the loop (or is
//! a parameter of the function whose body that is, `self` or `&mut self` among them, or is
//! captured by the closure or `async move` block whose body that is; or the loop is in an
//! `if` branch or a plain block of such a block, after which only the function's value
//! follows, `Ok(vec![])`), and no borrow of it lives across the loop. So may the statements of a block that ends in such a `return`
//! (`let err = anyhow!("bad").context(context); return Err(err);`). The loop keeps such values
//! for the first iteration that reaches such a `return` (or the first statement of such a
//! block that names one), which takes them and leaves (unless another exit came first); one
//! that reaches one after it ends without returning. When no iteration returned, the code after the loop
//! has back those it uses. Either way a kept value drops before the variables declared
//! between it and the loop (it is moved into the loop's keeping, and bound again after it).
//! ```
//! #[failfast::fail_fast(workers = 4)]
//! fn first_empty(names: &[String], fallback: String) -> Result<String, String> {
//!     for name in names {
//!         if name.is_empty() {
//!             return Ok(fallback);
//!         }
//!     }
//!     Ok(fallback + " (none empty)")
//! }
//! # assert_eq!(first_empty(&["a".into(), "".into()], "x".into()), Ok("x".into()));
//! # assert_eq!(first_empty(&["a".into()], "x".into()), Ok("x (none empty)".into()));
//! ```
//! A `return` that moves a value which the iterations also use otherwise (or one declared in
//! an outer block, or borrowed across the loop) is refused: each iteration that reaches it
//! would move the one value they share. Return a clone, or build the value inside the body; a
//! `Copy` value (a number, a `&T`) is fine. An iteration's own code that moves such a value
//! elsewhere (`take(fallback)`, `let name = cfg.name;`, `vec![fallback]`, or a method that
//! takes `self`: `cfg.name.unwrap()`, `words.into_iter()`) is refused the same way, at the
//! value:
//! ```compile_fail
//! #[failfast::fail_fast(workers = 4)]
//! fn f(names: &[String], fallback: String) -> Result<String, String> {
//!     for name in names {
//!         if *name == fallback {
//!             return Ok(fallback);
//!         }
//!     }
//!     Ok(String::new())
//! }
//! ```
//! Also: `break` or `continue` to a label outside the parallel loop, `.await` in a loop outside
//! async code, an async loop without `workers`, `Box<dyn Error>` (not `Send`) as the error of
//! a thread loop that may fail or return (one whose body has no `?`, `return` or user's macro
//! sends nothing back), the attribute on `while`, `loop`, closures or items, and a function with zero
//! or several outermost loops and no marker.
//!
//! Two refusals still come as rustc's own borrow errors, because the macro cannot see a
//! method's receiver:
//! - "cannot borrow `counter` as mutable, as it is a captured variable in a `Fn` closure"
//!   (E0596) at a method call on a value declared outside a thread loop ("cannot borrow data
//!   in a `&` reference as mutable" in an async loop): the method takes `&mut self`, and
//!   iterations call it at once. Share the value behind a `Mutex`, use an atomic, or collect
//!   with [`try_map`].
//! - "cannot borrow `*client` as immutable because previous closure requires unique access"
//!   (E0501) at a `while let`, or "two closures require unique access to `*rx` at the same
//!   time" (E0524), or "cannot borrow `p` as mutable more than once at a time" (E0499): its
//!   head steps a value through a `&mut self` method (`client.next_page()`, or `rx.recv()` on
//!   a `rx: &mut Receiver` parameter) that the body uses too, and the head runs while
//!   iterations run.
//!   Step something the body does not use (a pager of its own, a channel's receiver), or put
//!   the shared part behind a lock.
//!
//! # Async loops
//!
//! A loop whose body contains `.await`, in an `async fn` or async block, runs its iterations as
//! futures polled by the function's own future, at most `workers` at once (required: there is
//! no natural default for I/O). An `.await` among a macro's arguments counts (not one inside
//! an `async` block there), and so do `tokio::select!`, `tokio::join!`, `futures::try_join!`
//! and the like (a bare `select!` in tokio's syntax too); an `.await` that only a macro's own
//! definition writes is not seen (the loop then runs on threads, and rustc says it is not
//! `async`: write an `.await` in the body). They wait in parallel, they do not compute in
//! parallel. The body borrows locals and arguments and needs no `Send`; the function's future
//! is `Send` when the sequential loop's would be (`tokio::spawn` takes it). The iterations all
//! run on the loop's task, and a local of the function that the body uses only in its own
//! code (`hits.set(..)` on a `Cell`, `rx.try_recv()` on an mpsc `Receiver`, the arguments of
//! `println!`, `format!`, `assert_eq!` or an `assert!` with a message, `{hits:?}` in their
//! format strings, and the closures of a statement with no `.await`,
//! `parts.iter().for_each(|p| hits.set(hits.get() + p));`, or `let bump = |k| hits.set(k);`
//! in the body's own block) is lent to them: the future is `Send` when the local is, as the
//! sequential one (a closure kept across an `.await` holds `&hits`, as the sequential loop's
//! does). So is `self` in a method on `&mut self` or `self` that calls its methods there (an
//! actor holding an mpsc `Receiver`), `println!("{}", self.name)` included. Not yet a local
//! that the body uses only through its fields (`stats.ok.set(..)` on a struct of `Cell`s,
//! `self.counts.ok.set(..)`): each iteration borrows those fields, as the sequential loop
//! does, and then they must be `Sync` for the future to be `Send` (a loan of the whole
//! would clash with borrows of its other fields, which the sequential loop allows). Where
//! nothing else borrows it, use it whole in the body's own code after its last `.await`
//! (`let s = &stats; s.ok.set(..)`), and it is lent. A local that the body also uses inside
//! a closure kept by a `let` of an inner block or of a statement that awaits, an async
//! block, another macro (a `tracing` event, `dbg!` and an `assert!` without a message, which
//! print their source) or a marked loop of its own, or that a `while let`'s head uses too (it
//! runs while the iterations do; a `for` loop's input is evaluated before, as in the
//! sequential loop), or that is bound twice (`let hits = ..` again), is borrowed by each
//! iteration across its awaits instead, and then must be `Sync` too for the future to be
//! `Send`. The iterations take turns at each `.await`: a guard of a `RefCell` or a
//! `std::sync::Mutex` that they share, held across one (`let mut c = cache.borrow_mut();`
//! before an `.await`), meets the next iteration's `borrow_mut()` (a panic) or `lock()` (a
//! wait for ever on a one-thread runtime): drop it before the `.await`, or share a
//! `tokio::sync::Mutex`. The input is pulled only when an iteration can
//! start. At the first exit the other in-flight iterations are dropped at once, and
//! dropping the function's future drops them all. See [`future`] for the details.
//!
//! ```
//! use failfast::fail_fast;
//!
//! async fn fetch(url: &str) -> Result<usize, String> {
//!     if url.is_empty() { Err("empty url".into()) } else { Ok(url.len()) }
//! }
//!
//! #[fail_fast(workers = 50)]
//! async fn fetch_all(urls: &[&str]) -> Result<(), String> {
//!     for url in urls {
//!         fetch(url).await?; // the first Err drops the other in-flight fetches
//!     }
//!     Ok(())
//! }
//!
//! assert_eq!(futures::executor::block_on(fetch_all(&["a", "b"])), Ok(()));
//! assert!(futures::executor::block_on(fetch_all(&["a", ""])).is_err());
//! ```
//!
//! # `while let` loops
//!
//! A `while let PAT = HEAD { BODY }` loop runs in parallel like a `for` loop whose input is
//! its head: channels (`rx.recv()`, `rx.recv().await`), streams (`s.try_next().await?`),
//! paginators, queues. Each value of `HEAD` that matches `PAT` moves into one iteration.
//!
//! ```
//! use failfast::fail_fast;
//! use std::sync::mpsc;
//! use std::sync::atomic::{AtomicU64, Ordering};
//!
//! #[fail_fast(workers = 4)]
//! fn consume(jobs: &mpsc::Receiver<u64>, total: &AtomicU64) -> Result<(), String> {
//!     while let Ok(job) = jobs.recv() {
//!         if job == 0 {
//!             return Err("job 0 is not a job".into());
//!         }
//!         total.fetch_add(job, Ordering::Relaxed);
//!     }
//!     Ok(())
//! }
//!
//! let (tx, rx) = mpsc::channel();
//! for job in 1..=10 {
//!     tx.send(job).unwrap();
//! }
//! drop(tx); // `recv()` fails once the channel is empty: the loop ends
//! let total = AtomicU64::new(0);
//! assert_eq!(consume(&rx, &total), Ok(()));
//! assert_eq!(total.into_inner(), 55);
//! ```
//!
//! - The head is evaluated by the loop, one value at a time, and only when an iteration can
//!   start with its value at once: every value taken starts an iteration, unless the loop has
//!   ended meanwhile (then it is dropped: at most one per worker, taken in the moment before
//!   a failure or a stop and not yet started by its thread). A thread loop evaluates it on
//!   the calling thread, which feeds `workers` pool threads; an async loop awaits it from the
//!   loop's own future while the iterations run (a paginator fetches the next page while the
//!   last one's items are processed).
//! - A value that does not match (`None`, `Err(..)` for `while let Ok(..)`) ends the input:
//!   the loop waits for its running iterations and returns as a `for` loop does at the end of
//!   its input. A `?` (or `return`) in the head ends the loop like a failing iteration.
//! - A let chain (edition 2024: `while let Ok(job) = jobs.recv() && !job.is_empty()`) is the
//!   head as a whole: its conditions are evaluated with its `let`s, one value at a time, and
//!   the loop ends at the first value for which the chain is false, as the sequential loop does.
//!   What the chain binds moves to the iteration, so it must own its values: a binding that
//!   borrows from the chain (`ref` to a temporary, or a later `let` that borrows an earlier
//!   binding, as `line.split_once('=')` does) is refused by rustc; bind owned values there
//!   (`.map(|(k, v)| (k.to_owned(), v.to_owned()))`), or split in the body.
//! - A pattern that does not fit the head's value gets rustc's own error, as the sequential
//!   loop's does (`while let Some(x) = rx.recv()` on a tokio channel: "consider `await`ing on
//!   the `Future`"). The forms work in every edition, 2015 too:
//!   ```edition2015
//!   # extern crate failfast;
//!   #[failfast::fail_fast(workers = 2)]
//!   fn largest(rx: std::sync::mpsc::Receiver<u32>) -> Result<(), String> {
//!       while let Ok(x) = rx.recv() {
//!           if x > 100 {
//!               return Err(format!("{} is too large", x));
//!           }
//!       }
//!       Ok(())
//!   }
//!   # let (tx, rx) = std::sync::mpsc::channel();
//!   # tx.send(7).unwrap();
//!   # tx.send(700).unwrap();
//!   # drop(tx);
//!   # assert_eq!(largest(rx), Err("700 is too large".to_string()));
//!   ```
//! - After the loop has ended, the head is not evaluated again. An async loop drops a head
//!   in progress at once, which may lose the value it was about to yield (cancel-safe heads
//!   such as tokio's `Receiver::recv` and `StreamExt::next` lose nothing). A thread loop cannot
//!   interrupt a head that blocks: use `recv_timeout`, or close the channel.
//! - `stop`, `timeout` and `deadline` work as on a `for` loop: a stopped loop evaluates its
//!   head no more, and leaves with `Stopped` through the return type.
//! - The body may not change what the head uses (`stack.push(..)` in `while let Some(d) =
//!   stack.pop()`), nor use what the head takes its items from through `&mut` (`it.len()`
//!   beside `it.next()`): the head runs while the iterations run. That is a compile error,
//!   whose help points to recursion (the same loop reached again shares one limit) or to a
//!   channel. A head that does not wait for work (`while let Some(d) = pop(&queue)` on a queue
//!   behind a lock, `while let Ok(page) = rx.try_recv()`, or a `for` loop over
//!   `rx.try_iter()`) whose queue the body refills is no error, but the loop ends the first
//!   time the head finds the queue empty, even while an iteration is about to refill it (also
//!   with `workers = 1`, for the `for` loop, which takes one item ahead): for a crawl or a
//!   walk, recurse (the same loop reached again in the body shares one limit); a channel's
//!   head must wait (`recv()`), with the senders dropped once no work is left.
//! - `workers = 1` is the sequential `while let` loop: in order, the same first exit.
//! - A recursion through a `while let` (the same loop reached again in its body) shares one
//!   limit, as a `for` loop's does, but uses idle threads less well: each level's head is
//!   evaluated only by the iteration that reached it, which runs a value itself when no
//!   thread is free, and threads that finish meanwhile wait for it rather than take that
//!   head's next value. A spine 15 levels deep with 7 leaves of a 1 ms sleep a level, 4
//!   workers (ideal 26.2 ms; `cargo bench --bench recursion -- recursive_comb`): `while let`
//!   47.7 to 51.9 ms, a `for` loop over the same children 29.1 to 29.3 ms, `rayon::scope` 29.1
//!   to 29.2 ms.
//!   When a level's children come from an iterator, recurse through a `for` loop over it.
//! - Without the macro: [`future::try_for_each_stream`] and [`future::try_map_stream`], or
//!   with a stop token [`future::Loop::try_for_each_stream`] and
//!   [`future::Loop::try_map_stream`].
//!
//! # Without the macro
//!
//! [`try_for_each`] and [`try_map`] are the same loop as function calls, with the same
//! guarantees; [`future::try_for_each`] and [`future::try_map`] are the async loop, for any
//! function that returns a future (`F: FnMut(T) -> Fut`). An `async move` closure whose
//! futures borrow what it owns (rustc: "async closure does not implement `FnMut` because it
//! captures state from its environment"), or a generic `F: AsyncFn(T) -> R`, goes to
//! [`future::try_for_each_borrowing`] and [`future::try_map_borrowing`].
//! [`Loop`] and [`future::Loop`] are the same loops with options: a stop token, a timeout or
//! a deadline. `Loop::new(workers)` alone returns any error type, as the functions do; once
//! an option can stop it, the error type must hold [`Stopped`].
//!
//! # Cargo features
//!
//! Both on by default, so that an iteration on a pool thread behaves as if it ran on the
//! thread that started its loop:
//! - `tracing`: it runs in the `tracing` span current where the loop started, and logs to
//!   that thread's subscriber;
//! - `tokio`: it runs in the tokio runtime that thread was in, so that `tokio::spawn` and
//!   `Handle::current()` work in a thread loop's body (adds tokio with its `rt` feature).
//!
//! The [`guide`] holds the long reference: the loop row by row, stack and tracing costs, the
//! full misuse gallery, the benchmarks and how each guarantee is tested.
#![deny(missing_docs)]

/// Runs a `for` loop's iterations in parallel and stops at the first failure.
///
/// See the [crate documentation](crate) for where it goes, its options and its guarantees.
///
/// ```
/// #[failfast::fail_fast(workers = 2)]
/// fn parse_all(lines: &[&str]) -> Result<(), std::num::ParseIntError> {
///     for line in lines {
///         line.parse::<u32>()?;
///     }
///     Ok(())
/// }
///
/// assert!(parse_all(&["1", "2"]).is_ok());
/// assert!(parse_all(&["1", "two"]).is_err());
/// ```
pub use failfast_macros::fail_fast;
pub use failfast_runtime::{
    bounds, cancelled, default_workers, future, try_for_each, try_map, CutShort, FromStopped, Loop,
    Outcome, StopToken, Stoppable, Stopped, Unstoppable,
};

pub mod guide;

/// What the `#[fail_fast]` rewrite calls. Not public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use failfast_runtime::future;
    pub use failfast_runtime::rewrite::{always, LoopSite};
    pub use failfast_runtime::{default_workers, Fallible, FromStopped, Loop};
}

/// What the `#[fail_fast]` rewrite calls and rustc may name when a loop does not compile
/// ("the trait `Sync` is not implemented for `Cell<i32>` ... required for `Cell<i32>` to
/// implement `SharedCapture`"). Nothing here is public API: it changes without notice.
//
// The module is not `#[doc(hidden)]` (its items are): rustc names an item by its bare name
// (`SharedCapture`) only when a path to it leads through no hidden module, and would
// otherwise spell out this module's path in every such error.
pub mod parallel_loop {
    #[doc(hidden)]
    pub use failfast_runtime::rewrite::workers;
    #[doc(hidden)]
    pub use failfast_runtime::rewrite::Lent;
    #[doc(hidden)]
    pub use failfast_runtime::rewrite::{
        always, an_index, captured, changed_by_async_iterations, changed_by_thread_iterations,
        changes, failure_of, failure_sent_back, input, input_capturing, items_of, kept_for_return,
        moved_by_iteration, moved_by_return, moved_place, parts_of, returned, returned_value,
        sent_back, sent_back_aliased, sent_to_workers, sent_to_workers_concrete,
        shared_by_iterations, shared_by_iterations_concrete, shared_field,
        shared_through_generic_reference, shared_through_reference, stop_token, taken_by_the_head,
        value_like, while_let, while_let_with, whole, whole_item, AsStopToken, Checked,
        ExitsPastMacro, ExitsPastMacros, ExitsThrough, FailsThrough, FailureSentBack, Fed, Input,
        Kept, KeptForReturn, MovedByIteration, MovedByReturn, MovedValue, NoParts, NotSent,
        ParallelLoopsHaveNoBreak, Parts, PulledByCaller, Reborrowed, Return, Returned, SendBack,
        SendExit, SendItem, SendToWorkers, SendValue, Shared, SharedByIterations, SharedByWorkers,
        SharedCapture, SharedThroughGenericReference, SharedThroughReference, Split, SplitByIndex,
        SplitParts, Tried, Unchecked, Whole,
    };
    #[doc(hidden)]
    pub use failfast_runtime::rewrite::{
        AnotherType, Changes, ChangesAnotherType, NotChangedByFutures, NotChangedByThreads,
        NotTakenFromByTheHead, StdContainer, TakenFrom,
    };
    #[doc(hidden)]
    pub use failfast_runtime::LoopStep;
}
