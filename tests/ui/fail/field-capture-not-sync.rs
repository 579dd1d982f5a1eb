// The body uses a field of a variable declared outside it (`names.all`, inside `println!`),
// which the body's closure captures alone: the field's type is named with the loop's message,
// not as a bound of a closure the user did not write.
use failfast::fail_fast;
use std::rc::Rc;

struct Names {
    all: Rc<Vec<String>>,
}

#[fail_fast(workers = 4)]
fn show(items: &[usize], names: Names) -> Result<(), String> {
    for &i in items {
        println!("{}", names.all[i]);
    }
    Ok(())
}

fn main() {}
