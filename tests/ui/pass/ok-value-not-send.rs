// A function whose `Ok` (or `Some`) value is not `Send` (an `Rc`), with a loop that only fails:
// the loop carries back its failure alone, so the value, made on the calling thread after the
// loop, need not cross threads, as in the sequential loop.
use failfast::fail_fast;
use std::rc::Rc;

fn check(x: u32) -> Result<(), String> {
    if x > 99 {
        Err(format!("{x} is too big"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 2)]
fn shared_total(items: &[u32]) -> Result<Rc<u32>, String> {
    for &x in items {
        check(x)?;
    }
    Ok(Rc::new(items.iter().sum()))
}

#[fail_fast(workers = 2)]
fn first_if_all_small(items: &[u32]) -> Option<Rc<u32>> {
    for &x in items {
        check(x).ok()?;
    }
    items.first().copied().map(Rc::new)
}

fn main() {
    assert_eq!(shared_total(&[1, 2]).as_deref(), Ok(&3));
    assert_eq!(shared_total(&[1, 200]), Err("200 is too big".to_string()));
    assert_eq!(first_if_all_small(&[4, 5]).as_deref(), Some(&4));
    assert_eq!(first_if_all_small(&[4, 500]), None);
}
