// A `return` that moves a value declared before the loop: the first iteration to reach it
// takes the value on whichever thread runs it, so the value must be `Send`.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn first_three(items: &[u32]) -> Option<u32> {
    let shared = Rc::new(5_u32);
    for &item in items {
        if item == 3 {
            return Some(Rc::try_unwrap(shared).unwrap_or(0));
        }
    }
    Some(*shared)
}

fn main() {}
