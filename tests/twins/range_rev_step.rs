// A reversed, stepped range.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn probe(n: usize) -> Result<(), String> {
    for i in (0..n).rev().step_by(2) {
        if i == 7 {
            return Err("seven".into());
        }
    }
    Ok(())
}

fn main() {
    assert!(probe(6).is_ok());
}
