// Items that hold a type that does not cross threads one level down (`Option<Rc<..>>`), bound
// to one name: the held `Rc` is named with the loop's message and the `Arc` hint, not as a
// part "within `Option<..>`".
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn lengths(names: Vec<Option<Rc<String>>>) -> Result<(), String> {
    for name in names {
        println!("{:?}", name.map(|name| name.len()));
    }
    Ok(())
}

fn main() {}
