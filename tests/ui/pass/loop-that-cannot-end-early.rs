// A loop whose body has no `?`, no `return` and no macro that may hide one cannot end early:
// nothing comes back from its iterations, so the function's error type, and any value it
// returns, need not be `Send`, as in the sequential loop: a generic `E` with no bound, an
// error that holds an `Rc`, a `Box<dyn Error>`, an `Rc` returned, in `for` and `while let`
// loops, with a `stop` option, in an async loop, and in a function that never returns (where
// the rewrite once left code that rustc found unreachable). A loop that may still end early
// without a `?` or a `return` in sight (a nested loop's inherited `stop`, a user's macro named
// like `log`'s; `tests/through_the_macro.rs` has an `include!`) compiles as before.
#![deny(unreachable_code)]

use failfast::fail_fast;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 4)]
fn count_then<E>(items: &[u32], finish: impl FnOnce(usize) -> Result<usize, E>) -> Result<usize, E> {
    let positive = AtomicUsize::new(0);
    for x in items {
        if *x > 0 {
            positive.fetch_add(1, Ordering::Relaxed);
        }
    }
    finish(positive.into_inner())
}

#[derive(Debug)]
pub struct ScriptError(#[allow(dead_code)] Rc<String>);

#[fail_fast(workers = 4)]
fn count_odd(items: &[u32], odd: &AtomicUsize) -> Result<(), ScriptError> {
    for x in items {
        if x % 2 == 0 {
            continue;
        }
        odd.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn drain(jobs: std::sync::mpsc::Receiver<u32>, done: &AtomicUsize) -> Result<(), ScriptError> {
    while let Ok(job) = jobs.recv() {
        done.fetch_add(job as usize, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn total(items: &[u32]) -> Rc<usize> {
    let sum = AtomicUsize::new(0);
    for x in items {
        sum.fetch_add(*x as usize, Ordering::Relaxed);
    }
    Rc::new(sum.into_inner())
}

// A marked loop inside may still leave through this one's iterations (here by the `stop` it
// inherits), so these keep the error type's checks, and must compile as before.
#[fail_fast(workers = 2, stop = stop)]
fn cells(rows: &[Vec<u32>], stop: &failfast::StopToken, seen: &AtomicUsize) -> Result<(), failfast::Stopped> {
    #[fail_fast]
    for row in rows {
        #[fail_fast]
        for _ in row {
            seen.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// A macro of the user's own, named like `log`'s, that returns `Err`: the loop may end early
/// though no `?` nor `return` is in sight.
macro_rules! error {
    ($($message:tt)*) => {
        return Err(format!($($message)*))
    };
}

#[fail_fast(workers = 2)]
fn small(items: &[u32]) -> Result<(), String> {
    for x in items {
        if *x > 9 {
            error!("{x} is too big");
        }
    }
    Ok(())
}

#[derive(Debug)]
pub enum StopError {
    Stopped,
    #[allow(dead_code)]
    Script(Rc<String>),
}

impl From<failfast::Stopped> for StopError {
    fn from(_: failfast::Stopped) -> Self {
        StopError::Stopped
    }
}

#[fail_fast(workers = 2, stop = stop)]
fn visit(items: &[u32], stop: &failfast::StopToken, seen: &AtomicUsize) -> Result<(), StopError> {
    for _ in items {
        seen.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn count_async(items: &[u32], seen: &AtomicUsize) -> Result<(), ScriptError> {
    for _ in items {
        std::future::ready(()).await;
        seen.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn serve(jobs: std::sync::mpsc::Receiver<u32>) -> ! {
    for job in jobs {
        assert!(job < 10);
    }
    std::process::exit(0)
}

/// A `Box<dyn Error>` (not `Send`), which only the code around the loop fails with, as in a
/// script's `main`.
#[fail_fast(workers = 2)]
fn parsed_then_counted(text: &str, seen: &AtomicUsize) -> Result<u32, Box<dyn std::error::Error>> {
    let n: u32 = text.parse()?;
    for _ in 0..n {
        seen.fetch_add(1, Ordering::Relaxed);
    }
    Ok(n)
}

fn main() {
    let seen = AtomicUsize::new(0);
    assert_eq!(parsed_then_counted("3", &seen).unwrap(), 3);
    assert!(parsed_then_counted("x", &seen).is_err());
    assert_eq!(seen.into_inner(), 3);
    assert_eq!(count_then::<String>(&[1, 0, 2], Ok).unwrap(), 2);
    let odd = AtomicUsize::new(0);
    count_odd(&[1, 2, 3], &odd).unwrap();
    assert_eq!(odd.into_inner(), 2);
    let (send, jobs) = std::sync::mpsc::channel();
    send.send(5).unwrap();
    send.send(6).unwrap();
    drop(send);
    let done = AtomicUsize::new(0);
    drain(jobs, &done).unwrap();
    assert_eq!(done.into_inner(), 11);
    assert_eq!(*total(&[1, 2, 3]), 6);
    let seen = AtomicUsize::new(0);
    let stop = failfast::StopToken::new();
    cells(&[vec![1, 2], vec![3]], &stop, &seen).unwrap();
    assert_eq!(seen.swap(0, Ordering::Relaxed), 3);
    assert_eq!(small(&[1, 2]), Ok(()));
    assert_eq!(small(&[1, 20]), Err("20 is too big".to_string()));
    visit(&[1, 2, 3], &stop, &seen).unwrap();
    assert_eq!(seen.swap(0, Ordering::Relaxed), 3);
    stop.stop();
    assert!(matches!(visit(&[1], &stop, &seen), Err(StopError::Stopped)));
    futures::executor::block_on(count_async(&[1, 2], &seen)).unwrap();
    assert_eq!(seen.swap(0, Ordering::Relaxed), 2);
    let (send, jobs) = std::sync::mpsc::channel();
    send.send(1).unwrap();
    drop(send);
    serve(jobs);
}
