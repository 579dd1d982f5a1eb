//! A `return` (or `bail!`) that moves a variable declared outside the loop
//! (`return Ok(fallback)`) compiles, as the sequential loop does: the first iteration that
//! returns takes the value, one that returns at the same time ends without it, the value is
//! dropped exactly once, and when no iteration returns the variable is there after the loop.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

/// A value that counts its drops.
#[derive(Debug)]
struct Counted {
    label: &'static str,
    drops: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

fn counted(label: &'static str) -> (Counted, Arc<AtomicUsize>) {
    let drops = Arc::new(AtomicUsize::new(0));
    let value = Counted {
        label,
        drops: Arc::clone(&drops),
    };
    (value, drops)
}

#[fail_fast(workers = 4)]
fn all_return_at_once(fallback: Counted, at_the_return: &Barrier) -> Result<Counted, String> {
    for _ in 0..4 {
        // Every iteration is at the `return` before any takes the value.
        at_the_return.wait();
        return Ok(fallback);
    }
    Ok(fallback)
}

/// Fifty times: `run` with a value labelled `label` that 4 iterations reach a `return` with
/// at once; the value comes back, undropped, and is dropped exactly once.
fn moved_once(label: &'static str, run: impl Fn(Counted) -> Counted) {
    for _ in 0..50 {
        let (value, drops) = counted(label);
        let returned = run(value);
        assert_eq!(returned.label, label);
        assert_eq!(drops.load(Ordering::SeqCst), 0, "dropped while returned");
        drop(returned);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}

#[test]
fn iterations_that_return_at_once_move_the_value_once() {
    moved_once("fallback", |fallback| {
        all_return_at_once(fallback, &Barrier::new(4)).unwrap()
    });
}

#[fail_fast(workers = 2)]
fn labelled(sizes: &[u64]) -> Result<(String, u64), String> {
    let mut label = String::from("first");
    label.push_str(" zero");
    for size in sizes {
        if *size == 0 {
            return Ok((label, *size));
        }
    }
    // No iteration returned: the variable is back, still `mut`.
    label.push_str(" not found");
    Ok((label, 0))
}

#[test]
fn the_variable_is_back_after_a_loop_that_did_not_return() {
    assert_eq!(labelled(&[3, 0, 2]), Ok(("first zero".to_string(), 0)));
    assert_eq!(
        labelled(&[3, 2]),
        Ok(("first zero not found".to_string(), 0))
    );
}

/// Built before the loop by a container's methods with any arguments, and declared under a
/// lint's attribute: no borrow of it lives across the loop.
#[fail_fast(workers = 3)]
fn first_long(names: &[String]) -> Result<Vec<String>, String> {
    let mut report: Vec<String> = Vec::new();
    report.push(format!("{} names", names.len()));
    report.extend(names.iter().take(1).cloned());
    #[allow(clippy::useless_vec)]
    let seeds = vec!["seed".to_string()];
    for name in names {
        if name.len() > 3 {
            return Ok(report);
        }
        if name.is_empty() {
            return Ok(seeds);
        }
    }
    report.push("none long".into());
    Ok(report)
}

#[test]
fn a_variable_filled_or_allowed_before_the_loop_is_moved_too() {
    let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let report = |lines: &[&str]| Ok(names(lines));
    assert_eq!(
        first_long(&names(&["ab", "abcd"])),
        report(&["2 names", "ab"])
    );
    assert_eq!(first_long(&names(&["ab", ""])), report(&["seed"]));
    assert_eq!(
        first_long(&names(&["ab"])),
        report(&["1 names", "ab", "none long"])
    );
}

#[fail_fast(workers = 2)]
fn fail_or_return(fallback: Counted, both_running: &Barrier) -> Result<Counted, String> {
    for i in 0..2 {
        both_running.wait();
        if i == 0 {
            Err("failed")?;
        }
        return Ok(fallback);
    }
    Ok(fallback)
}

#[test]
fn a_value_taken_by_a_return_that_loses_is_dropped_once() {
    for _ in 0..50 {
        let (fallback, drops) = counted("fallback");
        // The failure and the return race: either may be the first exit.
        let result = fail_or_return(fallback, &Barrier::new(2));
        match &result {
            Ok(value) => assert_eq!(value.label, "fallback"),
            Err(error) => assert_eq!(error, "failed"),
        }
        drop(result);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}

fn pair(first: Counted, second: Counted) -> (Counted, Counted) {
    (first, second)
}

#[fail_fast(workers = 2)]
fn two_orders(
    a: Counted,
    b: Counted,
    both_at_the_return: &Barrier,
) -> Result<(Counted, Counted), String> {
    for i in 0..2 {
        both_at_the_return.wait();
        // The two returns move the values in different orders: the first to return takes
        // both, and the other ends without them.
        if i == 0 {
            return Ok(pair(a, b));
        }
        return Ok(pair(b, a));
    }
    Ok((a, b))
}

#[test]
fn returns_that_move_two_values_in_different_orders_take_both() {
    for _ in 0..50 {
        let (a, a_drops) = counted("a");
        let (b, b_drops) = counted("b");
        let (first, second) = two_orders(a, b, &Barrier::new(2)).unwrap();
        let mut labels = [first.label, second.label];
        labels.sort_unstable();
        assert_eq!(labels, ["a", "b"]);
        assert_eq!(a_drops.load(Ordering::SeqCst), 0);
        drop((first, second));
        assert_eq!(a_drops.load(Ordering::SeqCst), 1);
        assert_eq!(b_drops.load(Ordering::SeqCst), 1);
    }
}

#[fail_fast(workers = 2)]
fn bail_on_zero(sizes: &[u64]) -> anyhow::Result<usize> {
    let context = anyhow::anyhow!("a zero in {} sizes", sizes.len());
    for size in sizes {
        if *size == 0 {
            anyhow::bail!(context);
        }
    }
    Ok(sizes.len())
}

#[test]
fn an_error_moved_by_bail() {
    let error = bail_on_zero(&[1, 0, 0]).unwrap_err();
    assert_eq!(error.to_string(), "a zero in 3 sizes");
    assert_eq!(bail_on_zero(&[1, 2]).unwrap(), 2);
}

#[derive(Debug, PartialEq)]
struct Found {
    path: String,
    size: u64,
}

#[fail_fast(workers = 2)]
fn find(sizes: &[u64], path: String) -> Option<Found> {
    for size in sizes {
        if *size > 10 {
            // A shorthand field moves it too.
            return Some(Found { path, size: *size });
        }
    }
    None
}

#[test]
fn a_shorthand_field_moves_the_value() {
    let found = find(&[1, 20, 30], "/tmp".into());
    assert_eq!(found.map(|found| found.path), Some("/tmp".to_string()));
    assert_eq!(find(&[1], "/tmp".into()), None);
}

/// Counts this iteration in, and waits until `all` have arrived (in one task: a busy poll).
async fn all_arrive(arrived: &AtomicUsize, all: usize) {
    arrived.fetch_add(1, Ordering::SeqCst);
    std::future::poll_fn(|context| {
        if arrived.load(Ordering::SeqCst) == all {
            return std::task::Poll::Ready(());
        }
        context.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await;
}

#[fail_fast(workers = 4)]
async fn all_return_at_once_async(
    fallback: Counted,
    arrived: &AtomicUsize,
) -> Result<Counted, String> {
    for _ in 0..4 {
        // Every iteration is at the `return` before any takes the value.
        all_arrive(arrived, 4).await;
        return Ok(fallback);
    }
    Ok(fallback)
}

#[test]
fn async_iterations_that_return_at_once_move_the_value_once() {
    let (fallback, drops) = counted("fallback");
    let arrived = AtomicUsize::new(0);
    let returned =
        futures::executor::block_on(all_return_at_once_async(fallback, &arrived)).unwrap();
    assert_eq!(arrived.load(Ordering::SeqCst), 4);
    assert_eq!(returned.label, "fallback");
    drop(returned);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

/// The loop in an `async move` block (a task's), whose `return` moves what the block
/// captured: the block owns it, as it owns its own `let`s.
#[fail_fast(workers = 4)]
fn in_a_task(fallback: Counted, arrived: &AtomicUsize) -> Result<Counted, String> {
    futures::executor::block_on(async move {
        #[fail_fast]
        for _ in 0..4 {
            all_arrive(arrived, 4).await;
            return Ok(fallback);
        }
        Err(format!("{} iterations", arrived.load(Ordering::SeqCst)))
    })
}

#[test]
fn an_async_move_block_keeps_what_it_captured() {
    let (fallback, drops) = counted("captured");
    let arrived = AtomicUsize::new(0);
    let returned = in_a_task(fallback, &arrived);
    assert_eq!(arrived.load(Ordering::SeqCst), 4);
    assert_eq!(returned.unwrap().label, "captured");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

/// In the same block, names the loop binds itself (a `match` arm of the `return`'s value) and a
/// guard read through (`*guard`, `Sync` but not `Send`) are not captures to keep.
#[fail_fast(workers = 2)]
fn doubled_or_guarded(xs: Vec<u32>, guard: std::sync::MutexGuard<'_, u32>) -> Option<u32> {
    futures::executor::block_on(async move {
        #[fail_fast]
        for x in xs {
            if x == 3 {
                return match x.checked_mul(2) {
                    Some(doubled) if doubled > 1 => Some(doubled),
                    _ => None,
                };
            }
            if x == 4 {
                return Some(*guard);
            }
        }
        None
    })
}

#[test]
fn names_bound_in_the_return_and_guards_are_not_kept() {
    let lock = std::sync::Mutex::new(42);
    assert_eq!(
        doubled_or_guarded(vec![1, 3], lock.lock().unwrap()),
        Some(6)
    );
    assert_eq!(
        doubled_or_guarded(vec![1, 4], lock.lock().unwrap()),
        Some(42)
    );
    assert_eq!(doubled_or_guarded(vec![1], lock.lock().unwrap()), None);
}

#[fail_fast(workers = 2)]
fn from_a_channel(
    jobs: std::sync::mpsc::Receiver<u64>,
    fallback: String,
) -> Result<String, String> {
    while let Ok(job) = jobs.recv() {
        if job == 0 {
            return Ok(fallback);
        }
    }
    Ok(format!("{fallback}: no zero"))
}

#[test]
fn a_while_let_loop_keeps_it_too() {
    let (send, jobs) = std::sync::mpsc::channel();
    for job in [3, 0, 2] {
        send.send(job).unwrap();
    }
    drop(send);
    assert_eq!(from_a_channel(jobs, "zero".into()), Ok("zero".into()));
    let (send, jobs) = std::sync::mpsc::channel();
    send.send(1).unwrap();
    drop(send);
    assert_eq!(
        from_a_channel(jobs, "zero".into()),
        Ok("zero: no zero".into())
    );
}

/// A value that a `return` moves through a field, a method, an operator or a macro.
struct Settings {
    fallback: Counted,
    prefix: String,
}

#[fail_fast(workers = 4)]
fn through_a_field(settings: Settings, at_the_return: &Barrier) -> Result<Counted, String> {
    for _ in 0..4 {
        at_the_return.wait();
        return Ok(settings.fallback);
    }
    Err(settings.prefix)
}

#[test]
fn a_field_of_the_value_is_moved_once() {
    moved_once("field", |fallback| {
        let settings = Settings {
            fallback,
            prefix: String::from("p"),
        };
        through_a_field(settings, &Barrier::new(4)).unwrap()
    });
}

/// A value that the statements before a `return` move (`let err = e.context(context);
/// return Err(err);`), as the sequential loop's first `return` does, once.
#[fail_fast(workers = 4)]
fn moved_on_the_way(
    fallback: Counted,
    at_the_return: &Barrier,
    returning: bool,
) -> Result<Counted, String> {
    for _ in 0..4 {
        if returning {
            // Every iteration is here before any takes the value: the statements before the
            // first that names it run in each.
            at_the_return.wait();
            let returned = fallback;
            let wrapped = Some(returned);
            return wrapped.ok_or_else(|| String::from("none"));
        }
    }
    Ok(fallback)
}

#[test]
fn statements_before_a_return_move_the_value_once() {
    moved_once("on the way", |fallback| {
        moved_on_the_way(fallback, &Barrier::new(4), true).unwrap()
    });
    moved_once("not returned", |fallback| {
        moved_on_the_way(fallback, &Barrier::new(4), false).unwrap()
    });
}

/// A value bound as a part of a tuple (`let (done, rx) = channel();`) is kept the same way.
#[fail_fast(workers = 4)]
fn destructured(pair: (Counted, usize), at_the_return: &Barrier) -> Result<Counted, String> {
    let (fallback, returning) = pair;
    for x in 0..4 {
        if x < returning {
            at_the_return.wait();
            let returned = fallback;
            return Ok(returned);
        }
    }
    Ok(fallback)
}

#[test]
fn a_part_of_a_destructured_value_is_kept_too() {
    moved_once("destructured", |fallback| {
        destructured((fallback, 4), &Barrier::new(4)).unwrap()
    });
    moved_once("not returned", |fallback| {
        destructured((fallback, 0), &Barrier::new(4)).unwrap()
    });
}

/// A block that ends in a `return` and binds a name of its own (`let msg = ..`) leaves the
/// outer variable of that name alone (an `Rc`, which a thread loop could not keep), and an
/// item it declares after its first use of a kept value is still seen by the statements
/// before.
#[fail_fast(workers = 2)]
fn own_names(xs: &[u32], msg: std::rc::Rc<String>, fallback: String) -> Result<usize, String> {
    for &x in xs {
        if x > 10 {
            let msg = format!("{x} is too big");
            return Err(msg);
        }
        if x == 0 {
            let zero = described(fallback);
            fn described(fallback: String) -> String {
                format!("zero: {fallback}")
            }
            return Err(zero);
        }
    }
    Ok(msg.len() + fallback.len())
}

/// A block's `let` that shadows the value it moves (`let name = name.unwrap_or_default();`)
/// moves the outer one.
#[fail_fast(workers = 2)]
fn shadowed_on_the_way(xs: &[u32], name: Option<String>) -> Result<String, String> {
    for &x in xs {
        if x == 0 {
            let name = name.unwrap_or_default();
            return Ok(name);
        }
    }
    Err(format!("{name:?}"))
}

#[test]
fn an_exit_blocks_own_names_and_items_are_its_own() {
    let msg = std::rc::Rc::new(String::from("four"));
    assert_eq!(own_names(&[1, 2], msg.clone(), "one".into()), Ok(7));
    assert_eq!(
        own_names(&[1, 20], msg.clone(), "one".into()),
        Err("20 is too big".to_string())
    );
    assert_eq!(
        own_names(&[0], msg, "one".into()),
        Err("zero: one".to_string())
    );
    assert_eq!(
        shadowed_on_the_way(&[1, 0], Some("a".into())),
        Ok("a".into())
    );
    assert_eq!(
        shadowed_on_the_way(&[1], Some("a".into())),
        Err("Some(\"a\")".into())
    );
}

/// An exit block that moves what its loop keeps (`fallback`) and holds a marked loop that
/// moves what it keeps itself (`inner`): each loop's exits take their own loop's values.
#[fail_fast]
fn nested_exits(groups: &[Vec<u32>], fallback: String) -> Result<String, String> {
    #[fail_fast(workers = 2)]
    for group in groups {
        if group.is_empty() {
            let note = fallback + " (an empty group)";
            let inner = format!("{} long", note.len());
            #[fail_fast(workers = 2)]
            for x in [1u32, 2] {
                if x == 2 {
                    let found = inner;
                    return Ok(found);
                }
            }
            return Err(note);
        }
    }
    Ok(fallback)
}

#[test]
fn a_loop_in_an_exit_block_takes_its_own_values() {
    let fallback = || String::from("fallback");
    assert_eq!(
        nested_exits(&[vec![1], vec![]], fallback()),
        Ok("25 long".to_string())
    );
    assert_eq!(nested_exits(&[vec![1]], fallback()), Ok("fallback".into()));
}

/// The same in an async loop, where the move hands the value to a function.
#[fail_fast(workers = 4)]
async fn handed_on_the_way(names: Vec<&str>, context: String) -> Result<usize, String> {
    for name in names {
        futures::future::ready(()).await;
        if name.is_empty() {
            let message = format!("an empty name after {}", name.len());
            let message = with_context(message, context);
            return Err(message);
        }
    }
    Ok(context.len())
}

fn with_context(message: String, context: String) -> String {
    format!("{message} in {context}")
}

#[test]
fn an_async_loop_moves_it_on_the_way_too() {
    let failed = futures::executor::block_on(handed_on_the_way(
        vec!["a", "", "b", ""],
        String::from("config"),
    ));
    assert_eq!(failed, Err("an empty name after 0 in config".to_string()));
    let length = futures::executor::block_on(handed_on_the_way(vec!["a"], String::from("config")));
    assert_eq!(length, Ok(6));
}

#[fail_fast(workers = 2)]
fn converted(
    names: &[&str],
    message: String,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    for name in names {
        if name.is_empty() {
            return Err(message.into());
        }
    }
    Ok(message.len())
}

#[fail_fast(workers = 2)]
fn joined(names: &[&str], prefix: String, fallback: String) -> Result<Vec<String>, String> {
    for name in names {
        if name.len() > 3 {
            return if name.len() > 5 {
                Err(prefix + ": " + name)
            } else {
                Ok(vec![fallback])
            };
        }
    }
    Ok(Vec::new())
}

#[test]
fn a_method_an_operator_a_macro_and_a_condition_move_the_value() {
    let error = converted(&["a", "", "b"], String::from("an empty name")).unwrap_err();
    assert_eq!(error.to_string(), "an empty name");
    // Not returned: the value is back after the loop.
    assert_eq!(converted(&["a"], String::from("four")).unwrap(), 4);
    assert_eq!(
        joined(&["abcdefg"], String::from("long"), String::from("f")),
        Err(String::from("long: abcdefg"))
    );
    assert_eq!(
        joined(&["abcd"], String::from("long"), String::from("f")),
        Ok(vec![String::from("f")])
    );
    assert_eq!(
        joined(&["a"], String::from("long"), String::from("f")),
        Ok(Vec::new())
    );
}

#[fail_fast(workers = 4)]
async fn converted_async(
    names: &[&str],
    message: String,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for name in names {
        std::future::ready(()).await;
        if name.is_empty() {
            return Err(message.into());
        }
    }
    Ok(())
}

#[test]
fn an_async_loop_moves_it_through_a_method() {
    let error = futures::executor::block_on(converted_async(&["a", ""], String::from("empty")))
        .unwrap_err();
    assert_eq!(error.to_string(), "empty");
}

#[fail_fast(workers = 4)]
fn bails(names: &[&str], file: String) -> anyhow::Result<()> {
    for name in names {
        anyhow::ensure!(name.len() < 10, "a long name in {file}");
        if name.is_empty() {
            anyhow::bail!("an empty name in {file}");
        }
    }
    drop(file);
    Ok(())
}

#[test]
fn bail_and_ensure_format_what_they_name() {
    // Their format strings are left alone: a variable they name is shared, not kept.
    let error = bails(&["a", ""], String::from("config.toml")).unwrap_err();
    assert_eq!(error.to_string(), "an empty name in config.toml");
    let error = bails(&["a", "much too long"], String::from("config.toml")).unwrap_err();
    assert_eq!(error.to_string(), "a long name in config.toml");
}

/// Counts its drops, and whether any iteration started after it was dropped.
struct Workspace<'a>(&'a AtomicUsize);

impl Workspace<'_> {
    fn describe(&self) -> String {
        String::from("workspace")
    }
}

impl Drop for Workspace<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 2)]
fn borrows_in_a_return(items: &[u32], dropped: &AtomicUsize, both: &Barrier) -> Result<(), String> {
    let workspace = Workspace(dropped);
    for &item in items {
        both.wait();
        if item == 0 {
            return Err(format!("failed in {}", workspace.describe()));
        }
        // The other iteration has returned by now, or is about to: the workspace, which a
        // `return` only borrows, lives until the loop has ended.
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            0,
            "dropped while an iteration ran"
        );
    }
    Ok(())
}

#[test]
fn a_value_a_return_only_borrows_lives_until_the_loop_ends() {
    let dropped = AtomicUsize::new(0);
    let result = borrows_in_a_return(&[0, 1], &dropped, &Barrier::new(2));
    assert_eq!(result, Err(String::from("failed in workspace")));
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

// A `Box<String>` on purpose: the `return` moves the string out of the box.
#[allow(clippy::box_collection)]
#[fail_fast(workers = 2)]
fn shapes(
    item: u32,
    boxed: Box<String>,
    choice: Option<String>,
    label: String,
) -> Result<String, String> {
    for i in [item] {
        match i {
            1 => return Ok(*boxed),
            2 => {
                return match choice {
                    Some(v) => Ok(v),
                    None => Err(String::from("none")),
                }
            }
            3 => return Ok(dbg!(label)),
            _ => {}
        }
    }
    Ok(String::from("no return"))
}

#[test]
fn a_deref_a_match_and_dbg_move_the_value() {
    let call = |item| {
        shapes(
            item,
            Box::new("boxed".into()),
            Some("chosen".into()),
            "label".into(),
        )
    };
    assert_eq!(call(1), Ok(String::from("boxed")));
    assert_eq!(call(2), Ok(String::from("chosen")));
    assert_eq!(call(3), Ok(String::from("label")));
    assert_eq!(call(4), Ok(String::from("no return")));
}

/// Named in lower case, as some generated code names its constants.
#[allow(non_upper_case_globals)]
const default_size: u64 = 7;

/// A constant is not a capture of the `async move` block, whatever its case: no pattern of the
/// function binds the name (nor does a statement macro name it, which may declare it).
#[fail_fast(workers = 2)]
fn size_in_a_task(sizes: Vec<u64>) -> Option<u64> {
    futures::executor::block_on(async move {
        #[fail_fast]
        for size in sizes {
            std::future::ready(()).await;
            if size == 0 {
                return Some(default_size);
            }
        }
        None
    })
}

#[test]
fn a_lower_case_constant_is_not_kept_as_a_capture() {
    assert_eq!(size_in_a_task(vec![3, 0, 5]), Some(7));
    assert_eq!(size_in_a_task(vec![3, 5]), None);
}

/// Declares a variable, as some helper macros do.
macro_rules! let_it {
    ($name:ident = $value:expr) => {
        let $name = $value;
    };
}

/// A variable declared by a statement macro is a variable all the same: the `async move`
/// block captures it, and its loop keeps it for the `return`.
#[fail_fast(workers = 2)]
fn label_in_a_task(sizes: Vec<u64>) -> Option<String> {
    let_it!(label = String::from("zero"));
    futures::executor::block_on(async move {
        #[fail_fast]
        for size in sizes {
            std::future::ready(()).await;
            if size == 0 {
                return Some(label);
            }
        }
        None
    })
}

#[test]
fn a_variable_a_macro_declares_is_kept_as_a_capture() {
    assert_eq!(label_in_a_task(vec![3, 0]), Some(String::from("zero")));
    assert_eq!(label_in_a_task(vec![3]), None);
}

/// A closure's parameter, moved by a `return` in the closure's marked loop, is kept as a
/// function's is.
#[fail_fast(workers = 2)]
fn labels_of_groups(groups: &[Vec<u32>]) -> Result<Vec<String>, String> {
    let label = |items: &[u32], fallback: String| -> Result<String, String> {
        #[fail_fast]
        for &item in items {
            if item == 0 {
                return Ok(fallback);
            }
        }
        Ok(String::new())
    };
    let mut labels = Vec::new();
    for group in groups {
        labels.push(label(group, format!("{} items", group.len()))?);
    }
    Ok(labels)
}

#[test]
fn a_closure_parameter_is_kept_for_the_return() {
    let labels = labels_of_groups(&[vec![1, 0], vec![2]]);
    assert_eq!(labels, Ok(vec![String::from("2 items"), String::new()]));
}

struct Config {
    limit: u32,
}

/// Lends the configuration to `f`, behind its lock.
fn with_config<R>(
    config: &std::sync::RwLock<Config>,
    f: impl FnOnce(std::sync::RwLockReadGuard<'_, Config>) -> R,
) -> R {
    f(config.read().unwrap())
}

/// A closure's parameter without a written type may be a lock's guard, read through by the
/// `return`: shared, as before, not kept (a guard cannot be sent to the threads).
#[fail_fast(workers = 2)]
fn limit_if_large(items: &[u32], config: &std::sync::RwLock<Config>) -> Result<u32, String> {
    with_config(config, |config| {
        #[fail_fast]
        for &item in items {
            if item > 100 {
                return Ok(config.limit);
            }
        }
        Ok(0)
    })
}

#[test]
fn an_untyped_closure_parameter_is_not_kept() {
    let config = std::sync::RwLock::new(Config { limit: 5 });
    assert_eq!(limit_if_large(&[1, 200], &config), Ok(5));
    assert_eq!(limit_if_large(&[1, 2], &config), Ok(0));
}

/// A `return` whose value is made from the variable by a method that takes it and then used
/// further (`name.into_bytes().len()`, `limit.unwrap()[..]`, `&`, in `format!`): the value
/// moves there, once, as in the sequential loop.
#[fail_fast(workers = 4)]
fn made_from_the_value(
    sizes: &[usize],
    name: String,
    limit: Option<Vec<u8>>,
    words: Vec<String>,
) -> Result<String, String> {
    let label = String::from("size");
    for size in sizes {
        match size {
            1 => return Ok(name.into_bytes().len().to_string()),
            2 => return Ok(limit.unwrap()[0].to_string()),
            3 => {
                return Ok(
                    std::mem::size_of_val(&words.into_iter().collect::<String>()).to_string(),
                )
            }
            4 => return Ok(format!("{}", label.into_boxed_str().len())),
            _ => {}
        }
    }
    Ok(String::new())
}

#[test]
fn a_value_made_from_the_variable_in_the_return() {
    let run = |size: usize| {
        made_from_the_value(
            &[size],
            "abc".into(),
            Some(vec![7]),
            vec!["a".into(), "b".into()],
        )
    };
    assert_eq!(run(1), Ok("3".into()));
    assert_eq!(run(2), Ok("7".into()));
    assert_eq!(run(3), Ok(std::mem::size_of::<String>().to_string()));
    assert_eq!(run(4), Ok("4".into()));
    assert_eq!(run(5), Ok(String::new()));
}

/// A job whose method takes it by value, and whose loop's `return` hands it back.
struct Job {
    value: Counted,
    steps: usize,
}

impl Job {
    /// Every iteration reaches the `return` at once; `self` moves once.
    #[fail_fast(workers = 4)]
    fn first_back(self, at_the_return: &Barrier) -> Result<Job, String> {
        for _ in 0..4 {
            at_the_return.wait();
            return Ok(self);
        }
        Err("no iteration".into())
    }

    /// `mut self` used after a loop that did not return: it is given back by assignment.
    #[fail_fast(workers = 4)]
    fn counted_steps(mut self, stop_at: u32) -> Result<Job, String> {
        for step in 0..4 {
            if step == stop_at {
                return Ok(self);
            }
        }
        self.steps += 4;
        Ok(self)
    }

    /// In a `Box<Self>`, and moved by a field of it.
    #[fail_fast(workers = 4)]
    fn label_of(self: Box<Self>, at_the_return: &Barrier) -> Result<&'static str, String> {
        for round in 0..4 {
            at_the_return.wait();
            if round < 4 {
                let value = self.value;
                return Ok(value.label);
            }
        }
        Err("no iteration".into())
    }

    /// `self` not `mut`, used after a loop that did not return: given back all the same.
    #[fail_fast(workers = 4)]
    fn given_back(self, stop_at: u32) -> Result<Job, String> {
        for step in 0..4 {
            if step == stop_at {
                return Ok(self);
            }
        }
        let steps = self.steps + 4;
        Ok(Job { steps, ..self })
    }

    /// Where a macro in the loop names `self` (its tokens may be text), `self` is not kept,
    /// and a `return` that only reads it compiles as before.
    #[fail_fast(workers = 4)]
    fn described(self, stop_at: u32) -> Result<String, String> {
        for step in 0..4 {
            if step == stop_at {
                return Err(format!("{} at {}", stringify!(self.steps), self.steps));
            }
        }
        Ok(self.value.label.to_string())
    }

    /// `self::` names the module, and a nested item's `self` is its own: the exit takes the
    /// method's `self` alone.
    #[fail_fast(workers = 4)]
    fn label_and_steps(self, at_the_return: &Barrier) -> Result<(Counted, usize), String> {
        for step in 0..4 {
            at_the_return.wait();
            if step < self::STOP_AT + 1 {
                return Ok({
                    struct Steps(usize);
                    impl Steps {
                        fn of(self) -> usize {
                            self.0
                        }
                    }
                    (self.value, Steps(self.steps).of())
                });
            }
        }
        Err(String::new())
    }

    #[fail_fast(workers = 4)]
    async fn first_back_async(self, arrived: &AtomicUsize) -> Result<Job, String> {
        for _ in 0..4 {
            all_arrive(arrived, 4).await;
            return Ok(self);
        }
        Err("no iteration".into())
    }
}

/// See [`Job::label_and_steps`].
const STOP_AT: u32 = 3;

/// `run`, a method taking `self` whose loop returns it at `stop_at` and else adds 4 steps:
/// without a `return`, the job comes back with its steps added; with one, as it was.
fn given_back_after_the_loop(label: &'static str, run: fn(Job, u32) -> Result<Job, String>) {
    let (value, drops) = counted(label);
    let job = run(Job { value, steps: 1 }, 9).unwrap();
    assert_eq!((job.value.label, job.steps), (label, 5));
    let job = run(job, 2).unwrap();
    assert_eq!(job.steps, 5, "returned before the steps were added");
    drop(job);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn self_taken_by_value_is_kept_as_a_parameter_is() {
    moved_once("self", |value| {
        let job = Job { value, steps: 0 };
        job.first_back(&Barrier::new(4)).unwrap().value
    });
    moved_once("async self", |value| {
        let job = Job { value, steps: 0 };
        let arrived = AtomicUsize::new(0);
        futures::executor::block_on(job.first_back_async(&arrived))
            .unwrap()
            .value
    });
    given_back_after_the_loop("mut self", Job::counted_steps);
    given_back_after_the_loop("not mut", Job::given_back);
    let job = |steps| Job {
        value: counted("described").0,
        steps,
    };
    assert_eq!(job(7).described(1), Err("self.steps at 7".into()));
    assert_eq!(job(7).described(9), Ok("described".into()));
    moved_once("nested item", |value| {
        let (value, steps) = Job { value, steps: 2 }
            .label_and_steps(&Barrier::new(4))
            .unwrap();
        assert_eq!(steps, 2);
        value
    });
    let (value, drops) = counted("boxed");
    let boxed = Box::new(Job { value, steps: 0 });
    assert_eq!(boxed.label_of(&Barrier::new(4)), Ok("boxed"));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

/// A marked loop in a closure whose `return` moves what the closure captured: the closure
/// owns it (it captures it by value, `move` or not), as an `async move` block does.
#[fail_fast(workers = 4)]
fn in_a_closure(
    fallback: Counted,
    name: String,
    at_the_return: &Barrier,
) -> (Result<Counted, String>, Result<usize, String>) {
    let take = |rounds: usize| {
        #[fail_fast]
        for _ in 0..rounds {
            at_the_return.wait();
            return Ok(fallback);
        }
        Err(String::from("no iteration"))
    };
    let length = move |stop_at: u32| -> Result<usize, String> {
        #[fail_fast]
        for x in 0..4 {
            if x == stop_at {
                return Ok(name.into_bytes().len());
            }
        }
        Ok(0)
    };
    (take(4), length(2))
}

#[test]
fn a_closure_keeps_what_it_captured() {
    moved_once("closure", |fallback| {
        let (taken, length) = in_a_closure(fallback, "four".into(), &Barrier::new(4));
        assert_eq!(length, Ok(4));
        taken.unwrap()
    });
}

impl Job {
    /// An assignment to a field of `self` before the loop leaves no borrow across it: `self`
    /// is kept all the same.
    #[fail_fast(workers = 4)]
    fn stepped(mut self, at_the_return: &Barrier) -> Result<Job, String> {
        self.steps += 1;
        for _ in 0..4 {
            at_the_return.wait();
            return Ok(self);
        }
        Err(String::new())
    }
}

#[test]
fn self_changed_before_the_loop_is_kept() {
    moved_once("stepped", |value| {
        let job = Job { value, steps: 1 }.stepped(&Barrier::new(4)).unwrap();
        assert_eq!(job.steps, 2);
        job.value
    });
}

/// A register whose `&mut self` methods hand themselves back from the loop.
#[derive(Debug, PartialEq)]
struct Register {
    hits: u32,
}

impl Register {
    #[fail_fast(workers = 4)]
    fn first_seven(&mut self, items: &[u32]) -> Result<&mut Self, String> {
        for &x in items {
            if x == 7 {
                return Ok(self);
            }
        }
        Err("no seven".into())
    }

    /// Used after a loop that did not return: given back (the receiver is written
    /// `mut self: &mut Self` in the rewrite).
    #[fail_fast(workers = 4)]
    fn counted<'a>(&'a mut self, items: &[u32]) -> Option<&'a mut Self> {
        for &x in items {
            if x == 7 {
                return Some(self);
            }
        }
        self.hits += 1;
        Some(self)
    }
}

impl Register {
    /// What the iterations compare is copied out before the loop, so that the loop mentions
    /// `self` only where it hands it back (as the refusal's note says to write).
    #[fail_fast(workers = 4)]
    fn at_hits(&mut self, items: &[u32]) -> Result<&mut Self, String> {
        let wanted = self.hits;
        for &x in items {
            if x == wanted {
                return Ok(self);
            }
        }
        Err(format!("no {wanted}"))
    }
}

/// The same for `self` by value and a parameter, with the copy made by `clone`.
#[fail_fast(workers = 4)]
fn named(name: String, items: Vec<String>, at_the_return: &Barrier) -> Result<String, String> {
    let wanted = name.clone();
    for item in items {
        if item == wanted {
            at_the_return.wait();
            return Ok(name);
        }
    }
    Err(format!("no {wanted}"))
}

#[test]
fn what_the_loop_compares_is_copied_before_it() {
    let mut register = Register { hits: 2 };
    register.at_hits(&[1, 2, 3]).unwrap().hits += 10;
    assert_eq!(register.at_hits(&[1, 2]), Err("no 12".into()));
    let twice = vec!["a".to_string(), "b".to_string(), "b".to_string()];
    assert_eq!(named("b".into(), twice, &Barrier::new(2)), Ok("b".into()));
    let none = vec!["a".to_string()];
    assert_eq!(
        named("b".into(), none, &Barrier::new(1)),
        Err("no b".into())
    );
}

/// A configuration whose `name` is moved out before the loop, and whose `id` the loop
/// returns: not kept (a partial move), as it was not before, and the `return` copies `id`.
struct Named {
    name: String,
    id: u32,
}

#[fail_fast(workers = 4)]
fn id_of_named(cfg: Named, items: &[String]) -> Result<u32, String> {
    let name = cfg.name;
    for item in items {
        if *item == name {
            return Ok(cfg.id);
        }
    }
    Err(format!("no {name}"))
}

struct Key {
    k: u32,
}

/// A `&mut` that the `return` gives where the exit's type has a `&`: reborrowed as one, not
/// handed back, and so not refused though the loop reads it.
#[fail_fast(workers = 4)]
fn entry_of<'a>(items: &'a mut [Key], key: &'a mut Key) -> Option<(&'a mut Key, &'a Key)> {
    for item in items.iter_mut() {
        if item.k == key.k {
            return Some((item, key));
        }
    }
    None
}

#[test]
fn what_the_loop_reads_is_not_kept_where_it_cannot_be() {
    let cfg = Named {
        name: "b".into(),
        id: 7,
    };
    assert_eq!(id_of_named(cfg, &["a".into(), "b".into()]), Ok(7));
    let mut items = [Key { k: 1 }, Key { k: 2 }];
    let mut key = Key { k: 2 };
    let (item, key) = entry_of(&mut items, &mut key).unwrap();
    item.k += 10;
    assert_eq!((key.k, items[1].k), (2, 12));
}

#[test]
fn a_mut_self_is_handed_back() {
    let mut register = Register { hits: 0 };
    register.first_seven(&[1, 7, 3]).unwrap().hits += 10;
    assert_eq!(register.first_seven(&[1, 3]), Err("no seven".into()));
    register.counted(&[1, 2]).unwrap().hits += 100;
    assert_eq!(register.counted(&[7]).map(|r| r.hits), Some(111));
}

/// The loop in a branch of an `if`, or in a plain block, of the function's body: it keeps
/// what that body owns, where the code after the `if` does not use it.
#[fail_fast(workers = 4)]
fn in_a_branch(fallback: Counted, mode: u8, at_the_return: &Barrier) -> Result<Counted, String> {
    let other = counted("other").0;
    if mode == 0 {
        return Err("mode 0".into());
    } else if mode == 1 {
        #[fail_fast]
        for _ in 0..4 {
            at_the_return.wait();
            return Ok(fallback);
        }
    } else {
        {
            #[fail_fast]
            for _ in 0..4 {
                at_the_return.wait();
                return Ok(other);
            }
        }
    }
    Err(String::from("no iteration"))
}

/// Used after the loop in its own branch: given back there.
#[fail_fast(workers = 4)]
fn branch_gives_back(items: &[u32], name: String) -> Result<String, String> {
    if !items.is_empty() {
        for &x in items {
            if x == 2 {
                return Ok(name);
            }
        }
        return Err(format!("{name} without a two"));
    }
    Err(String::from("empty"))
}

#[test]
fn a_loop_in_a_branch_keeps_what_the_body_owns() {
    moved_once("branch", |fallback| {
        in_a_branch(fallback, 1, &Barrier::new(4)).unwrap()
    });
    let (fallback, drops) = counted("not taken");
    let returned = in_a_branch(fallback, 2, &Barrier::new(4)).unwrap();
    assert_eq!(returned.label, "other");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "the fallback, not taken, is dropped"
    );
    assert_eq!(branch_gives_back(&[1, 2], "n".into()), Ok("n".into()));
    assert_eq!(
        branch_gives_back(&[1, 3], "n".into()),
        Err("n without a two".into())
    );
}
