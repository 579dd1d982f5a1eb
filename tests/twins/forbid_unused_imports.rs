// A crate that forbids unused imports: a thread loop picks its input's path with a `use` of
// the runtime's traits, which must need no `#[allow(unused_imports)]` (a `forbid` refuses it)
// on any path: split by index, shared by the workers, pulled by the calling thread.
#![forbid(unused_imports)]

use std::rc::Rc;

#[failfast::fail_fast(workers = 4)]
fn indexed(items: &[u32]) -> Result<u32, String> {
    for item in items {
        if *item == 0 {
            return Err("zero".into());
        }
    }
    Ok(1)
}

#[failfast::fail_fast(workers = 4)]
fn shared(items: &[u32]) -> Result<(), String> {
    for item in items.iter().filter(|n| **n > 1) {
        if *item == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

#[failfast::fail_fast(workers = 4)]
fn fed(items: &[u32], offset: Rc<u32>) -> Result<(), String> {
    for item in items.iter().map(move |n| n + *offset) {
        if item == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(indexed(&[1, 2]), Ok(1));
    assert!(shared(&[1, 2, 3]).is_ok());
    assert!(fed(&[1, 2, 3], Rc::new(1)).is_ok());
}
