// The rewrite cannot collide with the user's names: locals called like the runtime's
// parameters, a local `Result` alias, and modules named `core` and `std` shadowing the
// standard ones.
#![allow(dead_code, unused_variables)]
use failfast::fail_fast;

mod core {}
mod std {}

type Result<T> = ::std::result::Result<T, String>;

struct Outcome;
struct Fallible;

#[fail_fast(workers = 2)]
fn shadowing(iter: Vec<u32>, item: u32, workers: usize, f: u32) -> Result<u32> {
    let __failfast_outcome = 7;
    let try_for_each = 1;
    for x in iter {
        let outcome = Outcome;
        if x == item {
            Err(format!("{x} {workers} {f} {__failfast_outcome} {try_for_each}"))?;
        }
    }
    Ok(item)
}

fn main() {
    assert_eq!(shadowing(vec![1, 2], 9, 5, 3), Ok(9));
    assert_eq!(shadowing(vec![1, 2], 2, 5, 3), Err("2 5 3 7 1".to_string()));
}
