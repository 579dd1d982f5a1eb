// Two slices zipped.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn same(expected: &[u32], actual: &[u32]) -> Result<(), String> {
    for (e, a) in expected.iter().zip(actual) {
        if e != a {
            return Err(format!("expected {e}, got {a}"));
        }
    }
    Ok(())
}

fn main() {
    assert!(same(&[1, 2], &[1, 2]).is_ok());
}
