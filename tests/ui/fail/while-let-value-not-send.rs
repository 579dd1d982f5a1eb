use failfast::fail_fast;
use std::rc::Rc;
use std::sync::mpsc::Receiver;

#[fail_fast(workers = 4)]
fn lengths(names: Receiver<String>) -> Result<(), String> {
    while let Ok(name) = names.recv().map(Rc::new) {
        println!("{}", name.len());
    }
    Ok(())
}

fn main() {}
