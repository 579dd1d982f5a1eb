// Loop patterns work as in the sequential loop: tuples, `mut`, references, structs, or.
use failfast::fail_fast;
use std::sync::atomic::{AtomicI64, Ordering};

struct Point {
    x: i64,
    y: i64,
}

#[fail_fast(workers = 2)]
fn tuples(total: &AtomicI64) -> Result<(), ()> {
    for (i, x) in [10, 20, 30].iter().enumerate() {
        total.fetch_add(i as i64 * x, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn mutable(total: &AtomicI64) -> Result<(), ()> {
    for mut x in 0..4 {
        x *= 2;
        total.fetch_add(x, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn references(total: &AtomicI64, values: &[i64]) -> Result<(), ()> {
    for &value in values {
        total.fetch_add(value, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn structs(total: &AtomicI64, points: Vec<Point>) -> Result<(), ()> {
    for Point { x, y: height } in points {
        total.fetch_add(x * height, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn alternatives(total: &AtomicI64, values: Vec<Result<i64, i64>>) -> Result<(), ()> {
    for Ok(v) | Err(v) in values {
        total.fetch_add(v, Ordering::SeqCst);
    }
    Ok(())
}

fn main() {
    let total = AtomicI64::new(0);
    tuples(&total).unwrap();
    assert_eq!(total.swap(0, Ordering::SeqCst), 20 + 60);
    mutable(&total).unwrap();
    assert_eq!(total.swap(0, Ordering::SeqCst), 12);
    references(&total, &[1, 2, 3]).unwrap();
    assert_eq!(total.swap(0, Ordering::SeqCst), 6);
    structs(&total, vec![Point { x: 2, y: 3 }, Point { x: 4, y: 5 }]).unwrap();
    assert_eq!(total.swap(0, Ordering::SeqCst), 26);
    alternatives(&total, vec![Ok(1), Err(2)]).unwrap();
    assert_eq!(total.swap(0, Ordering::SeqCst), 3);
}
