// A variable from outside the body used only inside a `tracing` macro: it is shared by the
// iterations, and reported in the loop's terms, not as a bound of a closure the user did not
// write.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn count(items: &[i32]) -> Result<(), String> {
    let seen = Cell::new(0);
    for item in items {
        tracing::info!(item, seen = seen.get(), "counted");
    }
    Ok(())
}

fn main() {}
