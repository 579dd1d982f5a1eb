// A `filter` borrowing a `RefCell`, written in the `for` expression.
use failfast::fail_fast;
use std::cell::RefCell;
use std::collections::HashSet;

#[fail_fast(workers = 4)]
fn greet(names: &[String]) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    for name in names.iter().filter(|n| seen.borrow_mut().insert(n.to_string())) {
        if name.is_empty() {
            return Err("empty name".into());
        }
    }
    Ok(())
}

fn main() {
    assert!(greet(&["a".to_string()]).is_ok());
}
