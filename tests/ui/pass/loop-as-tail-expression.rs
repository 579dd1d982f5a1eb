// The parallel loop may be the last expression of a block.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn check(items: &[i32]) -> Result<(), i32> {
    {
        for &item in items {
            if item < 0 {
                Err(item)?;
            }
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(check(&[1, 2]), Ok(()));
    assert_eq!(check(&[1, -2]), Err(-2));
}
