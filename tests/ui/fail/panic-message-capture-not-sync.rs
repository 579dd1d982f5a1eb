// A variable from outside the body named only in a `panic!` message standing alone: edition
// 2021 formats it, so the body shares the variable, reported in the loop's terms.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn check(items: &[u32]) -> Result<(), String> {
    let seen = Cell::new(0);
    for &item in items {
        if item > 5 {
            panic!("{seen:?}");
        }
    }
    Ok(())
}

fn main() {}
