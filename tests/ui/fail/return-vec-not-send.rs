// A function whose `return Ok(..)` carries a `Vec<Rc<..>>` back from a worker thread: the `Rc`
// is named with the loop's message and the `Arc` hint, not "within `Vec<..>`".
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn long_words(words: &[&str]) -> Result<Vec<Rc<str>>, String> {
    for word in words {
        if word.len() > 10 {
            return Ok(vec![Rc::from(*word)]);
        }
    }
    Ok(Vec::new())
}

fn main() {}
