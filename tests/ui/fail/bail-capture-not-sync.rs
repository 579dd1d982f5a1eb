// A variable from outside the body named only in `anyhow::bail!`'s message: it is shared by
// the iterations, and reported in the loop's terms.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn check(items: &[u32]) -> anyhow::Result<()> {
    let seen = Cell::new(0);
    for &item in items {
        if item > 10 {
            anyhow::bail!("{item} is over 10 ({seen:?} seen)");
        }
    }
    Ok(())
}

fn main() {}
