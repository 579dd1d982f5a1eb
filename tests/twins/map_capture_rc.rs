// An adapter capturing an `Rc`, written in the `for` expression.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn check(n: usize, offset: Rc<usize>) -> Result<(), String> {
    for x in (0..n).map(move |i| i + *offset) {
        if x > 1_000 {
            return Err(format!("{x} is too big"));
        }
    }
    Ok(())
}

fn main() {
    assert!(check(10, Rc::new(1)).is_ok());
}
