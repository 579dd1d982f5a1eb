// An input whose adapter, written in the `for` expression, captures an `Rc`: the closure is
// not `Send`, so the input is pulled by the calling thread. Also through `flat_map`, with a
// closure inside the closure, and with the `Rc` shadowed inside the closure.
use failfast::fail_fast;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 4)]
fn sum_shifted(n: usize, offset: Rc<usize>, sum: &AtomicUsize) -> Result<(), String> {
    for x in (0..n).map(move |i| i + *offset) {
        if x > 1_000 {
            return Err(format!("{x} is too big"));
        }
        sum.fetch_add(x, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn sum_nested(rows: &[usize], sum: &AtomicUsize) -> Result<(), String> {
    for x in rows.iter().flat_map(|&row| {
        let base = Rc::new(row * 10);
        (0..3).map(move |i| i + *base)
    }) {
        sum.fetch_add(x, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn sum_shadowed(n: usize, offset: Rc<usize>, sum: &AtomicUsize) -> Result<(), String> {
    for x in (0..n).map(move |i| {
        let offset = *offset;
        i + offset
    }) {
        sum.fetch_add(x, Ordering::Relaxed);
    }
    Ok(())
}

fn main() {
    let sum = AtomicUsize::new(0);
    sum_shifted(10, Rc::new(5), &sum).unwrap();
    assert_eq!(sum.swap(0, Ordering::Relaxed), (5..15).sum::<usize>());
    // 996 to 1004: the first failure by time is one of 1001 to 1004.
    let failed = sum_shifted(10, Rc::new(995), &sum).unwrap_err();
    assert!(failed.ends_with("is too big"), "{failed}");
    sum.store(0, Ordering::Relaxed);
    sum_nested(&[1, 2], &sum).unwrap();
    assert_eq!(sum.swap(0, Ordering::Relaxed), 10 + 11 + 12 + 20 + 21 + 22);
    sum_shadowed(3, Rc::new(1), &sum).unwrap();
    assert_eq!(sum.into_inner(), 1 + 2 + 3);
}
