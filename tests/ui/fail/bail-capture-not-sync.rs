// A variable declared outside the loop's own block and named only in `anyhow::bail!`'s
// message: the loop cannot keep it for its first `bail!` (the code after the block could not
// have it back), so the iterations share it, and that is reported in the loop's terms.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn check(items: &[u32], strict: bool) -> anyhow::Result<()> {
    let seen = Cell::new(0);
    if strict {
        for &item in items {
            if item > 10 {
                anyhow::bail!("{item} is over 10 ({seen:?} seen)");
            }
        }
    }
    Ok(())
}

fn main() {}
