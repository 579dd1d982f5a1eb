use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn count(items: &[i32]) -> Result<usize, String> {
    let seen = Cell::new(0);
    for _item in items {
        seen.set(seen.get() + 1);
    }
    Ok(seen.get())
}

fn main() {}
