// An input built outside the `for` expression, in a way the macro does not follow (here by a
// macro), whose closure is not `Send`: refused with what to write instead.
use failfast::fail_fast;
use std::cell::RefCell;
use std::collections::HashSet;

macro_rules! unique {
    ($names:expr, $seen:expr) => {
        $names.iter().filter(|name| $seen.borrow_mut().insert(name.to_string()))
    };
}

#[fail_fast(workers = 4)]
fn greet(names: &[String]) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    let unique_names = unique!(names, seen);
    for name in unique_names {
        println!("hello {name}");
    }
    Ok(())
}

fn main() {
    let _ = greet(&[]);
}
