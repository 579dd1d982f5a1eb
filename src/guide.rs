//! The long reference, after the README: every row of what the loop does, the stack and
//! tracing costs, the full misuse gallery, the benchmark tables and how they were measured,
//! and how each guarantee is tested.
//!
//! This module holds documentation only. The [crate documentation](crate) is the
//! reference of the attribute, its options, cancellation and stopping a loop from outside;
//! the README on the repository's front page is the five-minute introduction.
//!
//! # The loop in detail
//!
//! The parallel loop means what the sequential loop means, except for order and parallelism:
//!
//! | | what happens |
//! | --- | --- |
//! | `?` and errors | `?` converts errors with `From`, as in the sequential loop. The loop's first failure leaves the enclosing function (or closure) the way that `?` would. Works in functions returning `Result<T, E>` (aliases like `io::Result<T>` and `anyhow::Result<T>` included) or `Option<T>`, and in closures (their return type written out or inferred, as for async blocks). A `return Err(..)` made by a macro such as anyhow's `bail!` counts as a failure too; a macro's `return Ok(..)` is refused at the macro call. |
//! | which error wins | the first one recorded. Errors of iterations that were already running are dropped. A panic always wins over an error. |
//! | the input | evaluated once and pulled lazily. At most `workers` items are pulled ahead of the running iterations (up to 64 per worker, in batches, when iterations take only microseconds), so endless and huge iterators work in bounded memory. |
//! | which threads | the calling thread works too: the loop runs on it and `workers - 1` pool threads. The macro picks, from the input's type at compile time, how they get items: ranges, slices, `&Vec`, arrays, their `iter()`/`iter_mut()` and owned `Vec`s are split by index (nothing is handed over per item); any other `Send` input is pulled by whichever worker is free (when its items take nanoseconds, so that sharing them costs more than running them, one worker holds it and runs it like the sequential loop while the others step back, and they join again when items slow down). An input that is not `Send` (an iterator holding an `Rc`), or whose adapters' closures capture locals that may not be `Send` (`.filter(|n| seen.borrow_mut().insert(..))`), is pulled by the calling thread for `workers` pool threads. `workers = 1` runs on the calling thread alone (for a `Send` input). |
//! | running work | never more than `workers` iterations at once, and exactly `workers` when enough items are ready. The body may borrow local variables (no `'static`, no `move`); what it borrows must be `Sync`, and items and errors must be `Send`, also with `workers = 1`. |
//! | after a failure | nothing more is pulled from the input; no iteration starts, except at most `workers - 1` that other workers were starting in the same instant; items pulled but not started are dropped; running iterations see `failfast::cancelled()` return `true`; the loop returns as soon as they have finished, never after the rest of the input. |
//! | `return` | ends the whole loop early, like a failure: the first iteration to `return` (or fail) wins, nothing new starts, the others are cancelled, and the function returns that value. "First" is by time, not input order: `return Ok(Some(path))` in a search returns the first match *found*. So a `return` used as an "end of input" sentinel may skip items before it: with `workers = 1` only is it the sequential loop's result exactly. In thread loops the returned value must be `Send`. |
//! | `continue` | ends that iteration (also `continue 'label` naming the parallel loop). |
//! | `()` functions | fine when the loop has no `?`: an iteration can end the loop only by panicking or by `return;`. Likewise a function returning any other type when the loop only `return`s. |
//! | panics | a panicking iteration (or a panicking `next()` of the input) cancels the loop like a failure; once the running iterations have finished, the panic resumes on the calling thread with its original payload. The runtime stays usable. A panicking `Drop` of an item the loop drops (after a failure, or while a panic is handled) never aborts the process, and the first panic stays the one resumed; but an input iterator that still holds two or more items whose `Drop` panics aborts when it is dropped, as std's drop glue (`vec::IntoIter`'s) does in the sequential loop too (which, unwinding from a panic, aborts at the first). |
//! | nested loops | loops inside the body stay sequential unless marked. A marked loop inside a parallel loop inherits its cancellation: when the outer loop fails or is stopped, `cancelled()` is true in the inner iterations and the inner loop starts nothing new. A thread loop that has not finished by then never returns `Ok` for the items it may have skipped: it leaves the outer iteration by unwinding, with the payload [`CutShort`](crate::CutShort), which the outer loop drops (no panic message, no panic of the outer loop; `Drop`s run, and a `std` `Mutex` guard held across it is poisoned). Different loops keep their own limits, so limits multiply: an 8-worker loop inside a 4-worker loop can run 32 inner iterations at once. |
//! | recursion | the same loop reached again inside one of its own iterations (a recursive walk) shares one limit: `workers = 4` is 4 iterations at once across the whole recursion, on about 4 threads. An iteration waiting for its inner run works on that run's items, so it cannot deadlock, with any `workers`; idle threads take whatever run has items left. A failure anywhere ends the whole walk. See [below](#recursion-one-limit-for-the-whole-walk). |
//! | `workers = 1` | the sequential loop: one iteration at a time, in input order, the same first failure, nothing run after it (one item may be pulled ahead). |
//! | threads | when the loop returns or unwinds, every iteration has finished. Worker threads are reused across loops; idle ones exit after 5 seconds. If the OS refuses a thread (a memory, pids or thread limit), the loop carries on with those it has, the calling thread included. |
//! | context | an iteration on a pool thread runs as if on the calling thread: inside the `tracing` span current where the loop started (and logging to the caller's subscriber), in the tokio runtime the caller was in (`tokio::spawn` and `Handle::current()` work as on the caller), and on a stack bigger than the main thread's (twice its `ulimit -s`: 16 MiB usually, up to 1 GiB; or `RUST_MIN_STACK` if larger). See [the tracing span](#iterations-see-the-callers-context-the-tracing-span) and [the stack](#stack-pool-threads-and-what-one-recursion-level-costs). |
//!
//! ## Recursion: one limit for the whole walk
//!
//! ```rust
//! # use failfast::fail_fast;
//! # use std::{fs, io, path::Path, sync::atomic::{AtomicU64, Ordering}};
//! # fn checksum(bytes: &[u8]) -> u64 {
//! #     bytes.iter().map(|&b| u64::from(b)).sum()
//! # }
//! #[fail_fast(workers = 4)]
//! fn checksum_tree(dir: &Path, total: &AtomicU64) -> io::Result<()> {
//!     for entry in fs::read_dir(dir)? {
//!         let entry = entry?;
//!         if entry.file_type()?.is_dir() {
//!             checksum_tree(&entry.path(), total)?; // the same loop: shares the 4
//!         } else {
//!             total.fetch_add(checksum(&fs::read(entry.path())?), Ordering::Relaxed);
//!         }
//!     }
//!     Ok(())
//! }
//! # let total = AtomicU64::new(0);
//! # checksum_tree(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(), &total).unwrap();
//! # assert!(total.into_inner() > 0);
//! ```
//!
//! However deep the tree, at most 4 files are read at once, on about 4 threads (the loop of
//! the function before this version started a new loop per directory: 781 threads and 85 reads
//! at once on a tree of depth 5 and fanout 4). The loop is recognised by its place in the
//! source, so the same holds for `failfast::try_for_each` called recursively from one place.
//! A different loop inside the body (not the same one of the source) keeps its own limit.
//!
//! ## Iterations see the caller's context: the tracing span
//!
//! With the cargo feature `tracing` (on by default; `default-features = false` removes the
//! dependency), every iteration runs inside the span that was current where its loop started,
//! so the events of a request's loop carry the request's span and fields, from every thread.
//! A loop started in an iteration (nested, or a recursion's next level) carries that
//! iteration's span. Async loops poll their iterations on the caller's task, so its span (an
//! `.instrument(..)`) applies as it is. Without a subscriber a loop call costs one load more
//! (tracing's level filter) and nothing per item. With one (tracing-subscriber's registry) and a
//! current span, capturing the span and subscriber costs about 0.1 us per loop call, and a pool
//! thread enters them once per visit, about 40 ns for all the items it takes, nothing per item
//! (measured apart, on a loaded machine; the `in a span` rows of `cpu_tiny`, `cpu_fixed` and
//! `recursive_walk` run the loops so). A recursion's waiting iteration helps any other run,
//! in that run's span, except the runs of its own enclosing levels (their spans are on its
//! thread already, and a span entered twice on a thread does not become current again).
//!
//! ## Iterations see the caller's context: the tokio runtime
//!
//! With the cargo feature `tokio` (on by default; it adds tokio with its `rt` feature only),
//! a thread loop started inside a tokio runtime (a thread loop in an `async fn`, whose body
//! does not await, or one in `spawn_blocking`) runs its pool threads' iterations in that
//! runtime's context, entered once per visit: `tokio::spawn`, `Handle::current()` and tokio's
//! timers work in them as on the caller, where a pool thread outside any runtime panics
//! ("there is no reactor running"). Outside a runtime a loop call costs a thread-local read.
//!
//! # Stack: pool threads, and what one recursion level costs
//!
//! Pool threads get twice the main thread's stack on 64-bit targets: 16 MiB under the usual
//! `ulimit -s` of 8 MiB, twice a raised one up to 1 GiB (which `ulimit -s unlimited` gives
//! too), or `RUST_MIN_STACK` if larger. Reserved, not touched: an idle pool of 8 takes the
//! memory of 8 default threads, about 100 kB. One level of a recursive parallel loop costs this much stack
//! (`cargo test --test recursion_stack -- --nocapture`, a comb-shaped walk; the distance
//! between one level's local and the next's). A 2,000-level walk in a debug build takes
//! 4.0 MB, with any `workers`: on the calling thread's 8 MiB (with `workers = 1` a `Send` input
//! runs there alone), or on a pool thread's 16 MiB. A level costs no more than a
//! `rayon::scope` level, in a debug build and optimised. (Issue 20's "about 2.6 KB a level"
//! was 2 MiB divided by the depth of the first overflow, not this measure.)
//!
//! A deeper recursion does not overflow either: a run that finds less than 512 KiB of its
//! thread's stack left continues on a new 8 MiB segment, which the `stacker` crate maps and
//! unmaps again when the run returns (as rustc does for its own deep recursions), so a walk
//! goes as deep as memory allows (`tests/recursion_deep.rs`: 10,000 levels from an 8 MiB
//! thread, on every path). The check is a few nanoseconds a run.
//!
//! Large items passed by value get the same care, also outside any recursion. Between its
//! source and the body, an item sits in several of the engine's frames at once (about four
//! copies in the visit's frame of a release build, more without optimisation), where the
//! sequential loop holds it once or twice: a thread loop over 1 MiB blocks by value overflowed
//! the main thread's 8 MiB. A run whose items, or the value its `return` carries out, need more
//! than 512 KiB of room (32 copies of the larger) checks, wherever it starts, that its thread
//! has it left, and a pool thread checks before it visits such a run; either continues on a
//! segment of twice that room otherwise (`tests/large_items.rs`: 1 MiB items on every input
//! path from a 4 MiB thread). Values of a few KiB cost nothing: the room is a constant. Not
//! covered: an async loop's items (its iterations' futures are built in the caller's own
//! frame, which no segment can change: a debug build overflowed 8 MiB with 1 MiB items), and
//! the copies of a large exit value in the caller's own frames (a debug build overflowed 8 MiB
//! returning a 512 KiB value, where 256 KiB passed; release passed 1 MiB), and, in a debug
//! build, a loop over 1 MiB items nested in the iteration of another over 1 MiB items (it
//! overflowed the main thread's 8 MiB, and passed on 16 MiB and optimised). Box such values
//! (`Box<[u8; N]>`). A segment is reserved address space, touched only as used: under an
//! address-space limit (`ulimit -v`) too small for it, the loop panics where it cannot map it.
//!
//! What a level holds, over a range, in a release build (384 B when measured frame by frame;
//! 368 B since a nested run borrows its group rather than counting a reference): the user's frames (the
//! loop's call inlined; 112 B in the test's walk), the run's making with its owner's loop
//! (one frame, 144 B: what the owner decides next comes back in registers), and the owner's
//! visit of the run with the claim's items (one frame; what the visit keeps between claims is
//! in the run, which a nested run has on the heap; so is the feeder of an input that the
//! owner feeds, and a claim is four words; the copy of a claim that a range's long claims run
//! from, in registers, is in a frame of its own, which a level's one-item claims never make).
//! In a debug build, where
//! every local and temporary has a slot of its own and nothing is inlined but what must be:
//! the user's function 256 B (the loop's call inlined; the macro's checks are under
//! `if false` and take none), the run's making 304 B, the owner's loop 288 B, the visit
//! 256 B, the claim 192 B, and the `catch_unwind` around the claim's items 400 B (five
//! frames of the standard library and the closure, with the body's call inlined;
//! `rayon::scope` has the same one), besides the test's own frames (256 B).
//!
//! | one recursion level | debug | release |
//! | --- | --- | --- |
//! | `#[fail_fast]` over a range or slice | 2,096 B | 368 B |
//! | over a lazy `Send` iterator | 2,064 B | 416 B |
//! | input not `Send`, or `try_for_each` | 2,144 B | 400 B |
//! | the version before (the three, same command) | 2,736 to 2,928 B | 768 to 976 B |
//! | two versions before (the three, same command) | 3,888 to 4,192 B | 960 to 1,232 B |
//! | `rayon::scope`, one scope per level | 2,160 B | 416 B |
//! | the sequential function | 288 B | 80 B |
//!
//! # Without the macro
//!
//! The same loop is a function call: `failfast::try_for_each(iterable, workers, |item| ...)`
//! returns the first failure of a closure returning `Result<(), E>` or `Option<()>`, and
//! `failfast::try_map(iterable, workers, |item| ...)` returns `Result<Vec<U>, E>` in input order.
//! The async loop is `failfast::future::try_for_each(iterable, workers, async |item| ...)` and
//! `failfast::future::try_map`, with the same semantics; they also take any `FnMut(T) -> Fut`,
//! as generic code passes on "a function returning a future".
//!
//! A function cannot see whether its generic input is `Send`, so `try_for_each` and `try_map`
//! always take the path that works for any input: the calling thread pulls it for `workers` pool
//! threads. The `#[fail_fast]` loop picks its path from the input's type, and is the way to the
//! faster ones. Called recursively from one place, `try_for_each` shares one limit too.
//!
//! # Async loops in detail
//!
//! | | what happens |
//! | --- | --- |
//! | where they run | every iteration is a future polled by the loop's own future, on the task that awaits the loop. failfast starts no threads and depends on no executor. |
//! | the body | may borrow locals and the function's arguments (no `move`, no `'static`, no `Arc`) and needs no `Send`/`Sync` of its own. The function's future is `Send` whenever the sequential loop's would be, so `tokio::spawn(fetch_all(..))` compiles when the body holds only `Send` values across its awaits: a local it uses only in its own code (a `Cell`, a `RefCell`, an mpsc `Receiver`) needs only `Send`, as in the sequential future; one it also uses inside a closure, an async block or a macro other than the standard formatting ones needs `Sync` too, and so, not yet as in the sequential future, do the fields of one it uses only through its fields (`stats.ok.set(..)`; see [async loops](crate#async-loops)). |
//! | the input | a plain `IntoIterator`, pulled on demand: an item is taken only when an iteration can start with it. |
//! | cancellation | by drop: at the first exit the other in-flight iterations are dropped at once (their destructors run; they never resume), nothing more is pulled, and the loop returns without waiting for them. Dropping the function's future drops every in-flight iteration the same way. No iteration runs after the loop has returned or been dropped. |
//! | fairness | every iteration that is woken is polled at the loop's next poll; a loop with many ready iterations yields to the executor every 128 iterations started, so it never starves other tasks on the thread. |
//! | panics | propagate out of the loop's poll at once, with their payload; the other iterations are dropped first. |
//! | nesting | nested async loops are nested futures: dropping the outer drops the inner. `failfast::cancelled()` is for thread loops and is `false` in an async loop's body. |
//!
//! # Misuse is a compile error that teaches
//!
//! All misuse in a function is reported in one compile, on the offending token. The five most
//! common mistakes, with the compiler's real output (checked against `tests/ui/fail` by
//! `cargo test --test readme`):
//!
//! **Collecting results into an outer `Vec`** (or `insert` into a map, `&mut` of an outer
//! variable): the iterations run at the same time, so this is a data race. The macro reports
//! a change it can see from the source: an assignment, a `&mut`, `write!`, a writer's method,
//! and a container's changing method (`push`, `insert`, `entry`, ...) on a variable whose
//! `let` or parameter shows a standard container (`Vec::new()`, `vec![..]`, `&mut Vec<T>`).
//! A `push` on a type of your own (which may take `&self`) is left to rustc; on a field or
//! an element, rustc is asked whether it is a standard container (see the end of this
//! section).
//!
//! <!-- ui: push-to-outer-vec -->
//! ```compile_fail
//! use failfast::fail_fast;
//!
//! #[fail_fast(workers = 4)]
//! fn collect(items: &[i32]) -> Result<Vec<i32>, String> {
//!     let mut doubled = Vec::new();
//!     for &item in items {
//!         doubled.push(item * 2);
//!     }
//!     Ok(doubled)
//! }
//!
//! fn main() {}
//! ```
//! ```text
//! error: cannot call `doubled.push(..)` in a parallel loop: iterations run at the same time on several threads, and `push` changes `doubled`: a data race
//!        help: collect the values with `failfast::try_map` (in input order), or share an atomic (`AtomicUsize::fetch_add`) or a `Mutex<..>`
//!  --> tests/ui/fail/push-to-outer-vec.rs:7:9
//!   |
//! 7 |         doubled.push(item * 2);
//!   |         ^^^^^^^^^^^^
//! ```
//! The fix: `failfast::try_map` returns the values in input order (or the first error):
//!
//! ```rust
//! fn collect(items: &[i32]) -> Result<Vec<i32>, String> {
//!     failfast::try_map(items, 4, |&item| Ok(item * 2))
//! }
//! ```
//!
//! **`Box<dyn Error>` as the error type** of a thread loop: its errors come back from worker
//! threads.
//!
//! <!-- ui: boxed-dyn-error -->
//! ```compile_fail
//! use failfast::fail_fast;
//! use std::error::Error;
//!
//! #[fail_fast(workers = 4)]
//! fn parse_all(lines: &[&str]) -> Result<(), Box<dyn Error>> {
//!     for line in lines {
//!         let _: u32 = line.parse()?;
//!     }
//!     Ok(())
//! }
//!
//! fn main() {}
//! ```
//! ```text
//! error: the parallel loop's errors cross threads, but `Box<dyn Error>` cannot be sent between threads
//!        help: return `Box<dyn Error + Send + Sync>`: `?` converts every error into it just the same
//!  --> tests/ui/fail/boxed-dyn-error.rs:5:44
//!   |
//! 5 | fn parse_all(lines: &[&str]) -> Result<(), Box<dyn Error>> {
//!   |                                            ^^^^^^^^^^^^^^
//! ```
//!
//! **`break`**: there is no "rest of the loop" to skip when other iterations already run.
//! `return` ends the whole loop instead (see [the loop in detail](#the-loop-in-detail)).
//!
//! <!-- ui: break -->
//! ```compile_fail
//! use failfast::fail_fast;
//!
//! #[fail_fast(workers = 4)]
//! fn first_negative(items: &[i32]) -> Result<(), String> {
//!     for &item in items {
//!         if item < 0 {
//!             break;
//!         }
//!     }
//!     Ok(())
//! }
//!
//! fn main() {}
//! ```
//! ```text
//! error: `break` cannot leave a parallel loop: items before it may not have started and items after it may be running, so there is no rest of the loop to skip
//!        help: to end the whole loop, `return` from the function (the first `return` wins and cancels the rest), fail with `Err(..)?`, or skip the rest of this iteration with `continue`
//!  --> tests/ui/fail/break.rs:7:13
//!   |
//! 7 |             break;
//!   |             ^^^^^
//! ```
//!
//! **A `?` in a function returning `()`**: the first failure has nowhere to go. (A `()`
//! function whose loop has no `?` is fine.)
//!
//! <!-- ui: returns-unit -->
//! ```compile_fail
//! use failfast::fail_fast;
//!
//! fn download(_name: &str) -> Result<(), String> {
//!     Ok(())
//! }
//!
//! #[fail_fast(workers = 4)]
//! fn download_all(names: &[String]) {
//!     for name in names {
//!         download(name)?;
//!     }
//! }
//!
//! fn main() {}
//! ```
//! ```text
//! error: `download_all` returns `()`, so the `?` in its parallel loop has nowhere to send a failure
//!        help: return `Result<(), E>` or `Option<()>` from `download_all`, and end it with `Ok(())` or `Some(())`
//!  --> tests/ui/fail/returns-unit.rs:8:4
//!   |
//! 8 | fn download_all(names: &[String]) {
//!   |    ^^^^^^^^^^^^
//! ```
//!
//! **Several outermost loops and no marker**: which one should run in parallel?
//!
//! <!-- ui: several-loops -->
//! ```compile_fail
//! use failfast::fail_fast;
//!
//! #[fail_fast(workers = 4)]
//! fn sync_folders(local: &[String], remote: &[String]) -> Result<(), String> {
//!     for name in local {
//!         println!("upload {name}");
//!     }
//!     for name in remote {
//!         println!("download {name}");
//!     }
//!     Ok(())
//! }
//!
//! fn main() {}
//! ```
//! ```text
//! error: `sync_folders` has 2 outermost `for` loops: which should run in parallel?
//!        help: mark each loop that should run in parallel with `#[fail_fast]`; unmarked loops stay sequential
//!  --> tests/ui/fail/several-loops.rs:5:5
//!   |
//! 5 |     for name in local {
//!   |     ^^^
//!
//! error: `sync_folders` has 2 outermost `for` loops: which should run in parallel?
//!        help: mark each loop that should run in parallel with `#[fail_fast]`; unmarked loops stay sequential
//!  --> tests/ui/fail/several-loops.rs:8:5
//!   |
//! 8 |     for name in remote {
//!   |     ^^^
//! ```
//!
//! Also refused, each with a `tests/ui/fail` case: assigning to an outer variable or field
//! (`total += n`, `self.downloaded += n`), `break`/`continue` to a label outside the parallel
//! loop, `.await` in a loop outside async code, an async loop without `workers`, a `&dyn Trait`
//! parameter without `+ Sync` used by a thread loop, the attribute on `while`, `loop`, closures or
//! items, a `for` hidden inside a `while` with no marker, a body that changes what its
//! `while let` head uses (`stack.push(..)` in `while let Some(d) = stack.pop()`: the help
//! points to recursion or a channel), `workers = 0` or a negative, float or
//! string, positional (`#[fail_fast(8)]`), unknown or duplicated options (with "did you mean").
//! rustc's own errors about the rewritten loop point at your tokens and say what to use instead,
//! naming none of the macro's internals: an item that is not `Send` (an `Rc`) says to use `Arc`; a
//! capture that is not `Sync` (a `Cell`, `RefCell`) says to use an atomic, a `Mutex` or `RwLock`;
//! a standard container changed through a field or an element (`self.names.push(..)`,
//! `grid[i].push(..)`), whose type the macro cannot see, gets rustc's error "changing the
//! `Vec<String>` they share is a data race" with a help of the same kind, and a `&mut` of
//! a field (`mem::take(&mut self.names)`, `writeln!(&mut self.log, ..)`) the macro's. Still
//! rustc's "cannot borrow as mutable, as it is a captured variable in a `Fn` closure" (the
//! body is that closure): a method of your own that takes `&mut self` (`self.record(x)`), a
//! change through a call the source cannot place (an element chosen by a call,
//! `grid[f(x)].push(..)`; a closure's parameter as the index; a statement with attributes of
//! its own), and methods outside the standard containers' (a `&mut [T]` field's `sort`). An
//! `Option`'s or a set's `take` and `replace(v)` are refused like a `push`.
//! The check reads the place's type, not the method the call picks: a trait of your own with
//! a `push(&self)` implemented for a `Vec`, or a `take(&self)` for an `Option`, is reported
//! too (a sequential program that the parallel loop refuses).
//! `.ci/lint-twins.py` builds every program of `tests/ui/pass` and `tests/twins` (everyday
//! programs written for it) with and without `#[fail_fast]`: what compiles as a sequential
//! loop compiles as a parallel one. A function that does not parse gets rustc's
//! error only.
//!
//! # Benchmarks
//!
//! `cargo bench` runs six scenarios side by side with rayon (`par_bridge` on the same lazy
//! input, `par_iter` where the input allows, both in a pool built once) and a hand-rolled
//! `std::thread::scope` + bounded channel + `AtomicBool`, and prints each figure with its ratio
//! to `failfast`'s. Where the engine's path matters, `failfast` runs the same loop over each kind
//! of input: a range or `Vec` (split by index), a lazy `Send` iterator (pulled by every
//! worker), and an iterator that is not `Send` (pulled by the calling thread, the only path
//! before this version). One run of this version on a 2-core machine (medians of 3 to 5 runs each; the
//! two-thread CPU scenarios after 0.3 s of warm-up per contender, see below; all six scenarios
//! take about 15 seconds):
//!
//! | scenario | `failfast` | rayon `par_bridge` | rayon `par_iter` | scope + channel |
//! | --- | --- | --- | --- | --- |
//! | `io_ok`: 400 items of 5 ms, 8 workers (ideal 250 ms) | 257.3 ms | 257.2 ms | 256.6 ms | 257.1 ms |
//! | `io_fail`: 10,000 lazy items of 20 ms, the 21st fails, 8 workers | 60.5 ms, 21 started, 21 pulled | 60.5 ms, 21, 21 | n/a | 60.7 ms, 21, 26 |
//! | `cpu_tiny`: 2,000,000 tiny items, 2 workers | range 0.35, `Vec` 0.39, lazy `Send` 0.52, not `Send` 30.34 ns/item | 202.02 ns/item | 0.32 ns/item (`Vec`) | 563.58 ns/item |
//! | `cpu_fixed`: an 8-item loop, 8 workers, per call | 3.97 us | 31.30 us | 29.81 us | 319.15 us (spawns per call) |
//! | `cpu_heavy`: 2,000 items of 45 us, 2 workers: speedup | 1.97x | 1.77x | 1.75x | 1.85x |
//! | `mem_huge`: 5,000,000 items, fails at 4,000,000 | range 1.7 ms, lazy `Send` 2.2 ms, not `Send` 137.2 ms; peak heap under 8 KiB | 526.1 ms, 0 KiB | 55.9 ms, 39,063 KiB (collects a `Vec` first) | 2,954.9 ms, 1.2 KiB |
//!
//! Since that run, a run split by index whose batches cannot grow (fewer than four items per
//! worker: `cpu_fixed`, a recursion's levels) reads no clock to size them: `cpu_fixed` took
//! 1.57 us per call (`par_iter` 18.25 us, `par_bridge` 17.47 us in the same run; 5.50 to
//! 5.90 us before the change, three runs beside it).
//!
//! `cargo bench --bench recursion` walks a tree of depth 5 and fanout 4 (1,024 leaves) with one
//! `#[fail_fast]` loop per node, beside `rayon::scope` recursion on a pool of the same size (one
//! warm-up run of each, then 7 runs of each in turns, medians):
//!
//! | leaves, workers | `failfast` | `rayon::scope` | before this version (a new loop per call) |
//! | --- | --- | --- | --- |
//! | ~20 us of work, 2 workers | 10.13 ms, 2 threads ran leaves, 2 at once | 9.88 ms, 2, 2 | 13.42 ms, 50 new threads |
//! | ~20 us of work, 8 workers | 9.65 ms, 6 threads, 6 at once | 9.39 ms, 7, 6 | 21.03 ms, 181 new threads |
//! | 1 ms sleep, 2 workers (ideal 512 ms) | 576.4 ms, 2 threads, 2 at once | 573.4 ms, 2, 2 | 38.3 ms, 32 leaves at once |
//! | 1 ms sleep, 8 workers (ideal 128 ms) | 139.5 ms, 8 threads, 8 at once | 139.0 ms, 8, 8 | 36.2 ms, 274 new threads, 101 leaves at once |
//!
//! With compute leaves failfast was 2.5 to 3% behind `rayon::scope` in that run (the goal is
//! to be level). Since then pool threads take the oldest run with items (as rayon's thieves
//! take the oldest job) and a level's run reads no clock: over 8 runs of the bench in turns,
//! failfast took 1.3% longer than `rayon::scope` with 2 workers and 4.1% with 8 (on 2 cores,
//! where that row varies most); 300 two-worker walks took 0.6% more CPU time than rayon's
//! (5,504 ms against 5,469). Since nested runs no longer ask the allocator for 128-byte
//! alignment (glibc's slow `memalign` path, once per level), three runs of the bench gave,
//! failfast against `rayon::scope`: 9.88/9.72, 10.02/10.01 and 9.98/10.00 ms with 2 workers,
//! 9.53/9.32, 9.70/9.63 and 9.90/9.90 ms with 8: level within the run-to-run noise with 2
//! workers, up to 2% behind with 8. With 8 threads on 2 cores, a pool thread handed its job
//! while it spun for one could sit queued behind a busy thread on its core until the next
//! tick (2.8 to 5.9 ms, traced with `perf sched` and the runtime's own events, in about one
//! walk of eight), and the group started no other thread while it waited, so one core idled.
//! Now items that idle threads leave waiting for 50 us get another thread: over 200 walks
//! with 8 workers the mean went from 9.7-9.9 ms to 9.2-9.5 ms and the 90th percentile from
//! 10.6-11.4 ms to 9.3-9.8 ms, the cores busy 1.98-1.99 of 2 (as rayon's) instead of
//! 1.93-1.97. Three runs of the bench then gave 9.99/9.86, 9.74/9.75 and 9.94/9.69 ms with 8
//! workers (failfast/`rayon::scope`), and 9.86/9.91, 9.74/9.86 and 10.12/10.13 ms with 2:
//! with 8 workers failfast is still up to 2.6% behind in a run's median, which its profile
//! puts in the work of each nested run (the group's lock, 0.4% of the CPU time, and its
//! spinning waits, 0.4%).
//!
//! `recursive_comb`, a spine 15 levels deep with 7 leaves of a 1 ms sleep a level, 4 workers
//! (ideal 26.2 ms): 29.3 ms through a `for` loop, 47.7 ms through a `while let` over the same
//! children (see [`while let` loops](crate#while-let-loops)), `rayon::scope` 29.2 ms.
//!
//! Before, a recursion ignored its limit: fast, when sleeping leaves could run 101 at once, but
//! not what `workers = 8` says, and a deep tree could run the process out of threads.
//!
//! `cargo bench --bench async_loops` runs the async loop beside futures'
//! `try_for_each_concurrent` (tfec), `buffer_unordered` and tokio's `JoinSet` + `Semaphore`, on
//! tokio's current-thread runtime (one run, medians of 3; all six scenarios take about 6 s):
//!
//! | scenario | `failfast` | tfec | `buffer_unordered` | `JoinSet` + `Semaphore` |
//! | --- | --- | --- | --- | --- |
//! | `aio_ok`: 1,000 items of `sleep(5 ms)`, 50 at once (floor about 122 ms: tokio rounds a 5 ms sleep up) | 122.76 ms | 123.05 ms | 123.15 ms | 124.02 ms |
//! | `aio_fail`: 10,000 lazy items of `sleep(20 ms)`, the 21st fails at once, 8 at once | 42.40 ms, 21 pulled, 21 started, 0 alive after | 42.27 ms | | |
//! | `aio_tiny`: 1,000,000 ready bodies, 64 at once | 12.45 ns/item | 83.03 ns/item | | |
//! | `aio_fixed`: an 8-item loop of ready bodies, per call | 0.21 us | 0.73 us | | |
//! | `aio_mem`: 5,000,000 lazy items, the 4,000,001st fails | 33.24 ms, 0.4 KiB peak heap | 359.14 ms, 0.3 KiB | | |
//! | `aio_drop`: dropped by a 50 ms timeout while 8 bodies sleep 1 s: bodies that ran to their end afterwards | 0 | | | 8 (a task per item) |
//!
//! An iteration's future lives in one of `workers` slots allocated once, with a waker made once
//! per slot, so a ready body costs no allocation and no reference count.
//!
//! Worker threads are reused across loops and spin briefly before sleeping, so a small loop
//! costs microseconds, not thread spawns. An input split by index is claimed in index ranges
//! that grow while iterations are fast, with no item handed over; a lazy input goes out in
//! batches (at most 64 per worker) while iterations take microseconds, one at a time when they
//! are slow. Items of a lazy `Send` input that take nanoseconds cost less to run than a batch
//! costs to hand between cores (the lock's cache line travels, about 100 ns here, and batches
//! stop at 64): the workers find this out, step back but one, and that one runs the input like
//! the sequential loop until the items slow down, looking before every item whether another
//! worker wants to join. That took the lazy row from 1.7 to 2.3 ns/item to about 0.40; the sequential
//! `for` loop over the same input runs at about 0.35.
//!
//! The benchmarks build with one codegen unit and hide values from the optimizer with an
//! `asm` barrier rather than `black_box`: with `black_box`, rayon's `par_iter` row read 0.26 or
//! 5.0 ns/item from one build of the same code to the next.
//!
//! Each contender of `cpu_tiny` and `cpu_heavy` runs for 0.3 s before it is measured. On this
//! machine (a 2-core VM) the kernel leaves a woken thread on the core of the thread that woke it
//! for about the first 100 ms of a CPU-bound phase, until their load says otherwise: a fresh
//! process ran rayon's `par_iter` over `cpu_tiny`'s `Vec` at about 0.5 ns/item for its first 80
//! to 105 calls and at 0.23 after, and our range loop the same. With a single warm-up call, each
//! table's first rows (ours) paid for it and the rows after them did not. `cpu_heavy`'s speedups
//! are medians of pairs, the sequential loop timed right before each contender, because one
//! sequential figure for all rows drifted by 1 to 3% between runs.
//!
//! ## Cold starts: the first call of a process, and a call after a pause
//!
//! A script runs one loop and exits, so what it meets is the loop's first milliseconds, with
//! pool threads that are new (or, in a longer-lived program, asleep after a pause), which the
//! warm-up above hides. `cargo bench --bench cold_start` measures them: each "cold" figure is
//! the first call of a fresh process (the binary runs itself again, once per figure), each
//! "idle" figure a call made 50 ms after the last one in a warm process; 2,000 items, 2
//! workers, beside rayon's global pool (built lazily inside the first call) and the sequential
//! loop. One run (median of 15, worst, and how many of the 15 took over 1.25x the sequential
//! time / 2):
//!
//! | 2 workers | slice (split) | lazy iterator (shared) | not `Send` (fed) | rayon `par_iter` | sequential |
//! | --- | --- | --- | --- | --- | --- |
//! | 20 ms job (10 us items), first call | 10.32 ms (worst 11.9, 0 slow) | 10.57 ms (worst 10.7, 0 slow) | 10.55 ms (worst 10.8, 0 slow) | 10.50 ms (worst 14.2, 1 slow) | 20.05 ms |
//! | 20 ms job (10 us items), after a 50 ms pause | 10.22 ms (worst 10.4, 0 slow) | 10.57 ms (worst 11.9, 0 slow) | 10.55 ms (worst 12.1, 0 slow) | 11.36 ms (worst 16.0, 7 slow) | 20.14 ms |
//! | `cpu_heavy` (50 us items), first call | 50.80 ms (worst 51.9, 0 slow) | 50.90 ms (worst 52.2, 0 slow) | 51.45 ms (worst 55.8, 0 slow) | 50.83 ms (worst 52.2, 0 slow) | 99.75 ms |
//! | `cpu_heavy` (50 us items), after a 50 ms pause | 49.42 ms (worst 51.0, 0 slow) | 50.74 ms (worst 53.9, 0 slow) | 51.17 ms (worst 52.6, 0 slow) | 50.58 ms (worst 53.3, 0 slow) | 99.90 ms |
//!
//! Two more runs of the same binary: every `failfast` row 0 slow but one (the slice's first
//! calls, 1 of 15 at 12.6 ms, where rayon had 0), every median within 6% of the ideal; after
//! a pause rayon had 5 and 6 slow calls of the 20 ms job.
//!
//! Before this version, in the same scenario on the same machine, the 20 ms job's first calls
//! took a median of 16.52 ms over a slice (9 of 15 slow) and 13.63 ms over a lazy iterator (9
//! of 15 slow), and after a pause 4 and 8 of 15 were slow.
//!
//! What made first calls slow before (up to 2x, in most fresh processes): this machine's
//! kernel places a new thread, or one woken after a long sleep, on the core of the thread that
//! woke it, which here keeps working (the caller works too), and the two shared that core
//! for 3 to 20 ms until the load balancer moved one. Logged per item (which thread ran it, on
//! which core, when): the pool thread's first item ran on the caller's core in 7 of 8 fresh
//! processes. rayon's caller blocks while its pool works, which frees its core. Now the new
//! thread moves itself off its starter's core as it begins (`pool/place.rs`: its allowed
//! cores are narrowed to the others and widened back, two system calls, only for a thread the
//! system has just placed), and the starter yields once so that a thread queued behind it
//! runs at once (a woken thread waited up to 12 ms for the caller's time slice to end). It
//! costs warm calls nothing measurable (`cpu_fixed`, three runs each: 6.40, 6.56, 7.13 us per
//! call before, 5.74, 6.43, 6.87 after), and nothing while idle. Some calls are still slow,
//! for rayon too: the same kernel at times moves a running thread onto the core of the other
//! during the first tens of milliseconds of a process (logged: a caller moved beside its pool
//! thread 2.5 ms into the loop and the two shared a core for 31 ms).
//!
//! ## Stopping from outside, `while let` and streams
//!
//! `cargo bench --bench stop`, one run (medians of 20, max in brackets):
//!
//! | scenario | `failfast` | peer |
//! | --- | --- | --- |
//! | `stop_latency`, threads: `stop()` to return, 8 workers, 2 ms iterations polling `cancelled()` every 50 us | `Loop` 0.13 ms (0.22), macro 0.12 ms (0.23); 0.008 and 0.008 ms after the last iteration returned | rayon `par_iter` + `AtomicBool` 0.14 ms (0.19); 0.014 ms |
//! | `stop_latency`, async: 8 in flight, 2 ms sleeps | 0.03 ms (0.12) | tokio-util `CancellationToken` + `select!` 0.02 ms (0.07) |
//! | `stop_idle`: 8 iterations blocked until the stop | threads: 0.23 ms of CPU over a 1 s wait, 0.278 ms to return; async: 0.26 ms, 0.059 ms | |
//! | `timeout(100 ms)` over 5 ms iterations: returned after the 100 ms by | 0.25 ms (0.64) | |
//! | a never-stopped token's cost: 8 items / 200,000 items per `Loop`, against the same `Loop` without one | 9.07 vs 8.82 us; 4,073 vs 4,077 us | the free `try_for_each`: 8.60 us; 4,074 us |
//! | the same through the macro: a 2,000,000-item slice / lazy input | 1.05 vs 1.03 ms; 1.56 vs 1.79 ms | |
//!
//! The `overhead` rows measure the `Loop` with the token twice in the same turns, to show how
//! far apart two runs of one loop read: 9.07 and 9.16 us, 4,073 and 4,105 us. Two more runs
//! of the scenario: 9.07 (9.02) vs 8.42 us and 9.68 (9.69) vs 8.79 us at 8 items. So the
//! token costs an 8-item loop 0.25 to 0.9 us (3 to 10%), a 200,000-item loop and a slice
//! nothing measurable. On a lazy input held by one worker (tiny items, see "held alone" above) the
//! holder reads the stop token, which the loop without one need not read at all: before
//! every item it cost a third (2.00 against 1.52 ms), so with more than 4 workers it reads
//! it before every 4 items (1.39 to 1.46 against 1.56 to 1.75 ms over four runs of one
//! build: no cost left; such a loop of nanosecond items moves by 10 to 20% between builds
//! with its code's layout). The holder may then start up to 4 items after a stop, within
//! the `workers - 1` the contract lets start as it comes (no other thread starts any while
//! one holds the input, in a loop that has not recursed); with 4 workers or fewer, or once
//! the loop has recursed, it reads the token before each item. Of the 8-item loop's 1 us,
//! the stop's own work (listing the
//! run's waker in the token and taking it off) is a few hundred nanoseconds in a profile; the
//! loop with the token also makes 1 to 1.5 more context switches per call (`perf stat`), which
//! points at how the pool's threads meet its items, not yet explained.
//!
//! `while let` and streams (`cargo bench --bench async_loops -- aio_stream aio_chan` and
//! `--bench compare -- chan_io chan_idle`): a stream of 1,000,000 ready items, 64 at once,
//! 12.08 ns/item through `future::try_for_each_stream` and 18.99 through the macro's async
//! `while let`, against futures' `try_for_each_concurrent` 84.50 (0.14x and 0.22x); 1,000 jobs
//! of `sleep(5 ms)` from a tokio channel, 50 at once, 122.81 ms against 123.26 (the floor is
//! about 122 ms); 400 jobs of 5 ms from a `std::sync::mpsc::sync_channel`, 8 workers, medians
//! of 5 taken in turns, five runs: 256.01, 256.04, 256.71, 256.09 and 256.35 ms against
//! `par_bridge`'s 256.93, 256.89, 256.54, 256.50 and 256.38 (ideal 250, and this machine's
//! floor, 50 sleeps of 5 ms in a row, 255.1 to 255.4); one job every 10 ms for a second, 0.98%
//! of a core (`par_bridge` 1.97%). The thread loop's head runs on the caller, which hands each
//! value to a worker, where `par_bridge`'s workers call `recv()` themselves: a worker that
//! finishes waits for the caller. Woken from sleep, the caller came back 20 to 30 us later
//! when the workers' sleeps had all ended at once, and the loop ran 1% behind `par_bridge`.
//! So when the iterations have been of a steady length, the caller sleeps until a little
//! before the next one is expected to end and waits awake through that moment, spending at
//! most an eighth of a core on it, a window at a time (`engine/headed.rs` in
//! `failfast-runtime`). Measured on the caller, 8 workers of steady sleeps: 13 to 17% of its
//! core with 2 ms sleeps (2.4% before), 6.2% with 5 ms ones (0.5%); none where lengths vary.
//!
//! Figures still move between runs on a shared 2-core machine, and from one machine to the
//! next: this version's tables were measured on a VM where futures' `try_for_each_concurrent`
//! reads 83 to 86 ns/item over ready bodies (68 and 31.56 on the last version's), rayon's
//! `par_iter` 29 to 31 us per 8-item call (17.4) and the not-`Send` row 27 to 31 ns/item (10.85).
//! Reproduce with `cargo bench` (`cargo bench -- cpu_tiny` runs one scenario).
//!
//! # Guarantees and how they are tested
//!
//! A lost error, a deadlock or an item run twice is the worst a loop runner can do. What was
//! tried, with the figures of the last run:
//!
//! - **Behaviour tests** (`failfast-runtime/tests`): one file per promise (first failure, the
//!   concurrency limit, pull-ahead bounds, cancellation and nested loops, panics, sequential
//!   mode, drops, thread reuse, ordered map), deterministic with latches where the scenario
//!   allows. A seeded stress test runs 2,000 random loops, each on one of the engine's three
//!   paths drawn at random (fed by the caller, a shared `Send` iterator, split by index), and
//!   checks every invariant after each (one outcome, nothing run twice, every item dropped once,
//!   at most `workers` at once, at most `workers - 1` started after the failure, input order
//!   with one worker); the last run survived 2,000 loops, 250,242 items, 1,035 failures and 350
//!   panics. A second stress test walks 300 random trees with one loop that recurses in its own
//!   iterations, on random paths, workers and failing or panicking nodes: never more than
//!   `workers` leaves at once across the recursion, no leaf twice, every leaf on success.
//!   `FAILFAST_STRESS_SEED` replays a run.
//! - **Paths and recursion, through the macro** (`tests/paths.rs`, `tests/recursion*.rs`): the
//!   calling thread is one of the workers for a `Send` input (a barrier only it and one pool
//!   thread can pass), runs alone with one worker, never runs iterations of an input that is
//!   not `Send`, and sees `cancelled()`; every kind of input split by index gives the sequential
//!   loop's items. Recursive walks of in-memory trees (depth 3 to 6, fanout 2 to 5, balanced and
//!   not, sleeping and spinning leaves) on every path with 1, 2, 3, 4 and 8 workers, under a
//!   watchdog: never more than `workers` leaves at once, every leaf once, failures and panics at
//!   random leaves end the walk; the process gains at most `workers + 2` threads, and an
//!   unbalanced tree of sleeping leaves takes at most 1.3x (total leaf time / workers) (last
//!   run: 1.06x to 1.11x).
//! - **A lazy input held by one worker** (`failfast-runtime/tests/held_alone.rs`): after
//!   300,000 tiny items, which make the workers step back but one, slow items run `workers` at
//!   once again; a failure, a panic and a panicking input while held end the loop as anywhere
//!   else (nothing started after a failure but the racing bound, one worker pulls exactly like
//!   the sequential loop, every item dropped once); an enclosing loop's failure stops an endless
//!   held inner input.
//! - **Model checking with loom** (`RUSTFLAGS="--cfg loom" cargo test -p failfast-runtime
//!   --release --lib`): the engine's own code, every interleaving within 1 or 2 preemptions (by
//!   model), in about 2 minutes (last run 134 s, on 2 cores shared with other builds): two
//!   workers failing at once (22,700 interleavings), a failure racing a worker taking the next
//!   item (22,688), a panic racing an error (22,622), nested loops inheriting cancellation
//!   (99,612), the real thread cache with a thread retiring while a loop claims it (126,023),
//!   index claims with a failure (32,381; every item dropped once), a shared iterator pulled in
//!   batches by two threads (21,420), a shared iterator held alone by one worker while the
//!   other joins, with a failure (84,528; every item dropped once), the calling thread seeing
//!   `cancelled()` (3,622), a recursion sharing one limit with helping waiters (22,617), a
//!   recursion reached from an input held alone (8,174), and an async loop's slot woken twice
//!   from other threads while it is polled (690). loom found four real bugs, fixed since and
//!   guarded by the models: an inner loop's caller left waiting when its outer loop failed, (in
//!   the previous version's first draft) a wake-up lost between a cancelled run and its owner,
//!   an async slot's wake-up lost to a plain store where the waker's swap needed a swap, and a
//!   recursion's owner spinning on the outer input it held itself (loom's branch limit).
//!   **What loom does not check**: time does not pass in a model, so a worker never steps back
//!   beside a worker holding an input alone (that decision reads the clock; the step-back pause
//!   is not modelled), an idle pool thread's 5-second wait polls once and times out at once
//!   (which is how a thread retiring while a loop claims it is explored), and the few
//!   microseconds of spinning before a wait sleeps are left out; the async model's task waker
//!   is a loom-visible stand-in for `atomic-waker`'s, which loom cannot see into. A refused
//!   thread start is not modelled either (a model's thread always starts); the integration tests
//!   below refuse them.
//! - **Fault injection** (`tests/faults.rs`): panics in the input's `next()` at random points,
//!   in an item's `Drop` (also of every item dropped unstarted, while another panic unwinds), in
//!   a dropped error's `Drop`, in a `From` conversion, after seeing `cancelled()`, a body that
//!   blocks until cancelled, and thread starts refused through a test-only hook, each on every
//!   path that can have it; then 10,000 loops with random faults in one process, the invariants
//!   checked after each (last run: 4,503 succeeded, 2,868 failed, 2,629 panicked).
//! - **Faults from the system and from destructors**: when the OS refuses a thread (a memory,
//!   pids or thread limit), the loop carries on with the threads it has, the calling thread
//!   included, and the next loop asks again (`tests/refused_threads.rs`: refusals on every path,
//!   nested and recursive, 2 to 300 workers, and a child process whose address space is limited to its
//!   size plus 64 MiB, which hung before); a panicking `Drop` of an item the loop drops never aborts, and the first
//!   panic is the one resumed, in thread and async loops (`tests/panicking_drops.rs`); a
//!   recursion's waiting owner sleeps (`tests/recursion_waits.rs`, in rounds checked to recurse
//!   from an input held alone: 0 ms of CPU in 500 ms, from 150 to 190 ms before).
//!
//! - **Miri** runs the runtime's whole test suite (sizes scaled down, same assertions), which
//!   covers the crate's `unsafe`: runs lent to pool threads through a group's list, items moved
//!   out of an owned `Vec` or lent from a `&mut [T]` by index, the scope of the thread cache,
//!   and the thread-local pointers to the loop a thread is running.
//!   The thread-count test is left out there, as `/proc` describes the interpreter, not the
//!   program.
//! - **ThreadSanitizer** runs the runtime's integration tests once: no report.
//! - **A soak**: `FAILFAST_STRESS_MINUTES=30 cargo test --release -p failfast-runtime --test
//!   stress -- --nocapture` runs random loops for that long and reports what it survived; the
//!   last 2-minute soak survived 27,793 loops, 3,279,832 items, 14,011 failures and 5,033
//!   panics (seed 1795569739247758301).
//! - **Async loops** (`tests/async_*.rs`): one file per promise: the exact limit (a gate only 4
//!   iterations at once can pass), nothing pulled ahead, drop-cancellation at the first exit and
//!   by a timeout (guards count every body dropped and none reaching its end afterwards), nested
//!   loops, panics from a body and from the input, four executors with real cross-thread
//!   wake-ups, fairness against a ticking task, and bodies that borrow `&self` and hold `Rc`s.
//!   The driver's own tests (run under Miri with the runtime's suite) fail within 10 s if a
//!   wake-up is ever lost.
//! - **The macro**: `tests/ui` holds programs that must compile and run, and one file per misuse
//!   with its exact compiler output; `failfast-macros/snapshots` holds the code the macro
//!   writes; `nightly-tests` runs the loop form on nightly. `.ci/lint-twins.py` lints every pass
//!   program with clippy (default and pedantic) beside its sequential twin and fails on a lint
//!   that only the parallel loop gets.
//!
//! `.ci/run` runs all of these but the soak (loom, Miri and the sanitizer when the nightly
//! toolchain is there, saying so when it is not).
