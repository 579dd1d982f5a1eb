//! Items passed by value that are large (a 1 MiB block), and a large value that a `return`
//! carries out, run as in the sequential loop, on every input path of a thread loop: the
//! engine's frames hold such a value several times between its source and the body, where the
//! sequential loop holds it once or twice, so a run over such items moves to a stack segment
//! with room for them, on the caller and on pool threads. Without that, each case below
//! overflowed its thread's stack and aborted the process.
//!
//! The loops run on a thread with a 4 MiB stack, half the main thread's: the sequential loop
//! over the same items needs about 2 MiB in a debug build.
use failfast::fail_fast;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SIZE: usize = 1 << 20;

struct Block(Box<[u8; SIZE]>);

/// A 1 MiB block by value: the array is moved out of its box onto the stack.
struct Large([u8; SIZE]);

fn read(i: usize) -> Large {
    let block = Block(vec![i as u8; SIZE].into_boxed_slice().try_into().unwrap());
    Large(*block.0)
}

fn last(large: &Large) -> usize {
    usize::from(large.0[SIZE - 1])
}

#[fail_fast(workers = workers)]
fn lazy_send(n: usize, workers: usize, sum: &AtomicUsize) -> Result<(), String> {
    for large in (0..n).map(read) {
        sum.fetch_add(last(&large), Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn lazy_not_send(n: usize, workers: usize, sum: &AtomicUsize) -> Result<(), String> {
    let offset = Rc::new(0);
    for large in (0..n).map(|i| read(i + *offset)) {
        sum.fetch_add(last(&large), Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn vector(items: Vec<Large>, workers: usize, sum: &AtomicUsize) -> Result<(), String> {
    for large in items {
        sum.fetch_add(last(&large), Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn headed(n: usize, workers: usize, sum: &AtomicUsize) -> Result<(), String> {
    let mut blocks = (0..n).map(read);
    while let Some(large) = blocks.next() {
        sum.fetch_add(last(&large), Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = workers)]
fn failing(n: usize, workers: usize) -> Result<(), String> {
    for large in (0..n).map(read) {
        if last(&large) == 7 {
            return Err("block 7".to_string());
        }
    }
    Ok(())
}

/// Runs `f` on a thread with a 4 MiB stack.
fn on_a_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn large_items_by_value_run_on_every_input_path() {
    const N: usize = 12;
    let expected: usize = (0..N).sum();
    on_a_small_stack(move || {
        for workers in [1, 2, 4] {
            let sum = AtomicUsize::new(0);
            lazy_send(N, workers, &sum).unwrap();
            assert_eq!(
                sum.swap(0, Ordering::SeqCst),
                expected,
                "lazy Send input, {workers} workers"
            );
            lazy_not_send(N, workers, &sum).unwrap();
            assert_eq!(
                sum.swap(0, Ordering::SeqCst),
                expected,
                "input pulled by the caller, {workers} workers"
            );
            vector((0..N).map(read).collect(), workers, &sum).unwrap();
            assert_eq!(
                sum.swap(0, Ordering::SeqCst),
                expected,
                "vector, {workers} workers"
            );
            headed(N, workers, &sum).unwrap();
            assert_eq!(
                sum.swap(0, Ordering::SeqCst),
                expected,
                "while let, {workers} workers"
            );
            assert_eq!(failing(N, workers), Err("block 7".to_string()));
        }
    });
}

/// A 64 KiB value that a `return` carries out of the loop.
struct Found([u8; 64 << 10]);

#[fail_fast(workers = workers)]
fn find(n: usize, workers: usize) -> Result<Option<Found>, String> {
    for i in 0..n {
        let found = Found([i as u8; 64 << 10]);
        if i == 5 {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

#[test]
fn a_large_value_returned_out_of_the_loop_fits_as_items_do() {
    // On std's default 2 MiB thread, which the sequential loop's return fits easily.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for workers in [1, 2, 4] {
                let found = find(12, workers).unwrap().map(|found| found.0[0]);
                assert_eq!(found, Some(5), "{workers} workers");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
