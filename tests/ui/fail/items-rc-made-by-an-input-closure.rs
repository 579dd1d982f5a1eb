// An item that an input's closure makes (an `Rc` inside an `enumerate` pair) is reported in
// the loop's terms, with what to use instead.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn run(values: &[u32]) -> Result<(), String> {
    for (i, shared) in values.iter().map(|x| Rc::new(*x)).enumerate() {
        if *shared > 5 || i > 9 {
            return Err(String::new());
        }
    }
    Ok(())
}

fn main() {}
