// An input that binds, outside its closure, a name the closure captures, shadowing a local of
// the same name in scope at the loop: the closure captures the input's own `bonus`, an `Rc`,
// and the input is pulled by the calling thread.
use failfast::fail_fast;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

#[fail_fast(workers = 2)]
fn total(values: &[u32], sum: &AtomicU32) -> Result<(), String> {
    let bonus = 1;
    for x in {
        let bonus = Rc::new(bonus * 10);
        values.iter().map(move |x| x + *bonus)
    } {
        if x > 1_000 {
            return Err(format!("{x} is too big"));
        }
        sum.fetch_add(x, Ordering::Relaxed);
    }
    Ok(())
}

fn main() {
    let sum = AtomicU32::new(0);
    assert_eq!(total(&[1, 2], &sum), Ok(()));
    assert_eq!(sum.load(Ordering::Relaxed), 23);
}
