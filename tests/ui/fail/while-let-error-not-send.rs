use failfast::fail_fast;
use std::rc::Rc;
use std::sync::mpsc::Receiver;

#[fail_fast(workers = 4)]
fn check(sizes: Receiver<u64>) -> Result<(), Rc<String>> {
    while let Ok(size) = sizes.recv() {
        if size > 100 {
            return Err(Rc::new(format!("{size} is too big")));
        }
    }
    Ok(())
}

fn main() {}
