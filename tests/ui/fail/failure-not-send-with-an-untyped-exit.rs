use failfast::fail_fast;
use std::rc::Rc;

// A loop that only fails carries its failure back from a worker thread: where the type it
// leaves through is not written before the loop, the failure alone is checked, with the
// loop's message.
fn check(n: u32) -> Result<(), Rc<String>> {
    match n {
        13 => Err(Rc::new(format!("unlucky {n}"))),
        _ => Ok(()),
    }
}

#[fail_fast(workers = 4)]
fn count(items: &[u32]) -> Result<impl std::fmt::Debug, Rc<String>> {
    for n in items {
        check(*n)?;
    }
    Ok(items.len())
}

fn main() {}
