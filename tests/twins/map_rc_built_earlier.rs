// An adapter capturing an `Rc`, built before the loop.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn total(values: &[u32], bonus: Rc<u32>) -> Result<(), String> {
    let boosted = values.iter().map(move |x| x + *bonus);
    for x in boosted {
        if x > 1_000 {
            return Err(format!("{x} is too big"));
        }
    }
    Ok(())
}

fn main() {
    assert!(total(&[1, 2], Rc::new(1)).is_ok());
    assert!(total(&[1_000], Rc::new(1)).is_err());
}
