// A `while let` head that steps a counter the body reads: the head runs while iterations
// run, so the body's read races with the head's change.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn numbered(limit: u32) -> Result<(), String> {
    let mut i = 0;
    while let Some(n) = {
        i += 1;
        (i <= limit).then_some(i)
    } {
        println!("{n} of {i}");
    }
    Ok(())
}

fn main() {}
