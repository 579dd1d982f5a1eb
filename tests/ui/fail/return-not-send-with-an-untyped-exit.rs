use failfast::fail_fast;
use std::fmt::Debug;
use std::rc::Rc;

// A thread loop's `return` value comes back from a worker thread, where the function's type
// does not say what it holds (`impl Trait`, a closure's inferred type): the part that is not
// `Send` is reported in the loop's terms, at `for`, and nothing names the runtime.

#[fail_fast(workers = 4)]
fn first_big(items: Vec<u32>) -> Result<impl Debug, String> {
    for x in items {
        if x > 10 {
            return Ok(Rc::new(x));
        }
    }
    Ok(Rc::new(0))
}

#[fail_fast(workers = 4)]
fn found(items: Vec<u32>) -> Option<impl Debug> {
    for x in items {
        if x > 10 {
            return Some(Rc::new(x));
        }
    }
    None::<Rc<u32>>
}

#[fail_fast(workers = 4)]
fn in_a_closure(items: Vec<u32>) -> usize {
    let search = |items: Vec<u32>| {
        #[fail_fast]
        for x in items {
            if x > 10 {
                return Err(Rc::new(x));
            }
        }
        Ok(1)
    };
    search(items).unwrap_or(0)
}

fn main() {}
