// A `while let` whose binding holds a type that does not cross threads one level down
// (`Result<Rc<..>, _>` inside `Ok(..)`): the `Rc` is named with the loop's message.
use failfast::fail_fast;
use std::rc::Rc;
use std::sync::mpsc::Receiver;

#[fail_fast(workers = 4)]
fn lengths(names: Receiver<Result<Rc<String>, String>>) -> Result<(), String> {
    while let Ok(name) = names.recv() {
        println!("{:?}", name.map(|name| name.len()));
    }
    Ok(())
}

fn main() {}
