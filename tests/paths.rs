//! The caller works too: which thread runs a loop's iterations, chosen by the input's type at
//! compile time, and the items each kind of input gives (exactly the sequential loop's).
use failfast::{cancelled, fail_fast};
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

const HANG: Duration = Duration::from_secs(30);

#[fail_fast(workers = 2)]
fn range_on_threads(ran_on: &Mutex<HashSet<ThreadId>>, both: &Barrier) -> Result<(), ()> {
    for _ in 0..2 {
        both.wait();
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn lazy_on_threads(ran_on: &Mutex<HashSet<ThreadId>>, both: &Barrier) -> Result<(), ()> {
    for _ in (0..2).filter(|_| true) {
        both.wait();
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[test]
fn the_calling_thread_is_one_of_the_workers_for_a_send_input() {
    for run in [range_on_threads, lazy_on_threads] {
        let ran_on = Mutex::new(HashSet::new());
        // Two iterations at once, on the only two threads the loop has: the caller and one
        // pool thread.
        assert_eq!(run(&ran_on, &Barrier::new(2)), Ok(()));
        let ran_on = ran_on.into_inner().unwrap();
        assert_eq!(ran_on.len(), 2);
        assert!(
            ran_on.contains(&thread::current().id()),
            "the caller ran no iteration"
        );
    }
}

#[fail_fast(workers = 1)]
fn one_worker(items: Vec<u32>, ran_on: &Mutex<HashSet<ThreadId>>) -> Result<(), ()> {
    for _ in items {
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[fail_fast(workers = 1)]
fn one_worker_lazy(ran_on: &Mutex<HashSet<ThreadId>>) -> Result<(), ()> {
    for _ in (0..100).map(|i| i * 2) {
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[test]
fn one_worker_runs_on_the_calling_thread_alone() {
    let ran_on = Mutex::new(HashSet::new());
    assert_eq!(one_worker((0..100).collect(), &ran_on), Ok(()));
    assert_eq!(one_worker_lazy(&ran_on), Ok(()));
    let me = thread::current().id();
    assert_eq!(ran_on.into_inner().unwrap(), HashSet::from([me]));
}

/// An iterator that is not `Send`: it holds an `Rc`.
struct NotSend {
    next: u32,
    end: u32,
    _rc: Rc<()>,
}

impl Iterator for NotSend {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        (self.next < self.end).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

#[fail_fast(workers = 2)]
fn not_send_on_threads(ran_on: &Mutex<HashSet<ThreadId>>, both: &Barrier) -> Result<(), ()> {
    let input = NotSend {
        next: 0,
        end: 4,
        _rc: Rc::new(()),
    };
    for _ in input {
        both.wait();
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[test]
fn a_non_send_input_is_pulled_by_the_caller_and_run_by_workers_pool_threads() {
    let ran_on = Mutex::new(HashSet::new());
    assert_eq!(not_send_on_threads(&ran_on, &Barrier::new(2)), Ok(()));
    let ran_on = ran_on.into_inner().unwrap();
    assert!(
        !ran_on.contains(&thread::current().id()),
        "the caller ran an iteration"
    );
    assert!(ran_on.len() >= 2, "two pool threads ran at once");
}

#[fail_fast(workers = 2)]
fn caller_waits_for_cancel(caller: ThreadId, saw: &AtomicUsize) -> Result<(), &'static str> {
    let caller_started = AtomicUsize::new(0);
    for _ in 0..2 {
        let begin = Instant::now();
        if thread::current().id() != caller {
            // Fails once the caller runs the other item (indices go one at a time).
            while caller_started.load(Ordering::SeqCst) == 0 {
                assert!(begin.elapsed() < HANG, "the caller ran no item");
                thread::yield_now();
            }
            return Err("the pool thread's item");
        }
        caller_started.fetch_add(1, Ordering::SeqCst);
        while !cancelled() {
            assert!(begin.elapsed() < HANG, "the caller never saw the failure");
            thread::yield_now();
        }
        saw.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn cancelled_is_true_on_the_calling_thread_too() {
    let saw = AtomicUsize::new(0);
    let result = caller_waits_for_cancel(thread::current().id(), &saw);
    assert_eq!(result, Err("the pool thread's item"));
    assert_eq!(
        saw.into_inner(),
        1,
        "the caller's iteration saw the failure"
    );
}

#[fail_fast(workers = 3)]
fn collect_i8(seen: &Mutex<Vec<i8>>) -> Result<(), ()> {
    for i in -128i8..127 {
        seen.lock().unwrap().push(i);
    }
    Ok(())
}

#[fail_fast(workers = 3)]
fn collect_inclusive(seen: &Mutex<Vec<u64>>) -> Result<(), ()> {
    for i in 5u64..=u64::from(u8::MAX) {
        seen.lock().unwrap().push(i);
    }
    Ok(())
}

#[fail_fast(workers = 3)]
fn collect_refs<'a>(
    vec: &'a Vec<String>,
    array: &'a [String; 3],
    seen: &Mutex<Vec<&'a str>>,
) -> Result<(), ()> {
    #[fail_fast(workers = 3)]
    for s in vec {
        seen.lock().unwrap().push(s.as_str());
    }
    #[fail_fast(workers = 3)]
    for s in vec.iter() {
        seen.lock().unwrap().push(s.as_str());
    }
    #[fail_fast(workers = 3)]
    for s in &vec[1..] {
        seen.lock().unwrap().push(s.as_str());
    }
    #[fail_fast(workers = 3)]
    for s in array {
        seen.lock().unwrap().push(s.as_str());
    }
    Ok(())
}

#[fail_fast(workers = 3)]
fn bump_all(vec: &mut Vec<u32>, array: &mut [u32; 4]) -> Result<(), ()> {
    #[fail_fast(workers = 3)]
    for n in &mut *vec {
        *n += 1;
    }
    #[fail_fast(workers = 3)]
    for n in vec.iter_mut() {
        *n *= 10;
    }
    #[fail_fast(workers = 3)]
    for n in array {
        *n += 100;
    }
    Ok(())
}

#[fail_fast(workers = 3)]
fn collect_owned(seen: &Mutex<Vec<String>>) -> Result<(), ()> {
    let vec: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    #[fail_fast(workers = 3)]
    for s in vec {
        seen.lock().unwrap().push(s);
    }
    #[fail_fast(workers = 3)]
    for s in ["x".to_string(), "y".to_string()] {
        seen.lock().unwrap().push(s);
    }
    let vec: Vec<String> = vec!["z".to_string()];
    #[fail_fast(workers = 3)]
    for s in vec.into_iter() {
        seen.lock().unwrap().push(s);
    }
    Ok(())
}

#[test]
fn inputs_split_by_index_give_the_sequential_loops_items() {
    let seen = Mutex::new(Vec::new());
    assert_eq!(collect_i8(&seen), Ok(()));
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, (-128i8..127).collect::<Vec<_>>());

    let seen = Mutex::new(Vec::new());
    assert_eq!(collect_inclusive(&seen), Ok(()));
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, (5..=255).collect::<Vec<u64>>());

    let vec: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let array = ["d", "e", "f"].map(String::from);
    let seen = Mutex::new(Vec::new());
    assert_eq!(collect_refs(&vec, &array, &seen), Ok(()));
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(
        seen,
        ["a", "a", "b", "b", "b", "c", "c", "c", "d", "e", "f"]
    );

    let mut vec = vec![1, 2, 3];
    let mut array = [0, 1, 2, 3];
    assert_eq!(bump_all(&mut vec, &mut array), Ok(()));
    assert_eq!(vec, [20, 30, 40]);
    assert_eq!(array, [100, 101, 102, 103]);

    let seen = Mutex::new(Vec::new());
    assert_eq!(collect_owned(&seen), Ok(()));
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    let mut expected: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    expected.extend(["x", "y", "z"].map(String::from));
    expected.sort_unstable();
    assert_eq!(seen, expected);
}

/// Counts its drops.
struct Tracked<'a>(usize, &'a AtomicUsize);

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 4)]
fn owned_until_failure(items: Vec<Tracked<'_>>, ran: &AtomicUsize) -> Result<(), usize> {
    for item in items {
        ran.fetch_add(1, Ordering::SeqCst);
        if item.0 == 10 {
            return Err(item.0);
        }
    }
    Ok(())
}

#[test]
fn every_item_of_an_owned_vec_is_dropped_once_when_the_loop_fails() {
    for _ in 0..50 {
        let dropped = AtomicUsize::new(0);
        let ran = AtomicUsize::new(0);
        let items: Vec<Tracked<'_>> = (0..1_000).map(|i| Tracked(i, &dropped)).collect();
        assert_eq!(owned_until_failure(items, &ran), Err(10));
        assert_eq!(
            dropped.into_inner(),
            1_000,
            "run or not, every item dropped once"
        );
        assert!(ran.into_inner() < 1_000, "the loop stopped at the failure");
    }
}
