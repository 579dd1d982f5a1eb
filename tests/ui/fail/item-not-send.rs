use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn lengths(names: Vec<Rc<String>>) -> Result<(), String> {
    for name in names {
        println!("{}", name.len());
    }
    Ok(())
}

fn main() {}
