// An `Option` function whose `return Some(..)` carries an `Rc` back from a worker thread: the
// loop's own message, with what to use instead, rather than "within `Option<Rc<str>>`".
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn first_long(words: &[&str]) -> Option<Rc<str>> {
    for word in words {
        if word.len() > 10 {
            return Some(Rc::from(*word));
        }
    }
    None
}

fn main() {}
