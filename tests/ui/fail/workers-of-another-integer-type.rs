// A `workers` expression of another integer type than `usize`: rustc's own conversion help,
// at the expression.
use failfast::fail_fast;

#[fail_fast(workers = limit)]
fn check(items: &[u32], limit: u32) -> Result<(), String> {
    for item in items {
        if *item > 10 {
            return Err(format!("{item} is over 10"));
        }
    }
    Ok(())
}

fn main() {}
