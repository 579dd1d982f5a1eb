// A return type that is not `Send`: the loop's first failure or `return` carries it back from
// a worker thread.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn first_long(words: &[&str]) -> Result<(), Rc<str>> {
    for word in words {
        if word.len() > 10 {
            return Err(Rc::from(*word));
        }
    }
    Ok(())
}

fn main() {
    let _ = first_long(&["a"]);
}
