// A `map` whose closure captures `Send` locals, and a `skip_while` capturing a limit.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn scaled(items: &[u64], factor: u64, limit: u64) -> Result<(), String> {
    for x in items.iter().skip_while(|x| **x < limit).map(|x| x * factor) {
        if x == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

fn main() {
    assert!(scaled(&[1, 2, 3], 2, 2).is_ok());
}
