use failfast::fail_fast;
use std::cell::RefCell;
use std::sync::mpsc::Receiver;

#[fail_fast(workers = 4)]
fn total(sizes: Receiver<u64>) -> Result<u64, String> {
    let sum = RefCell::new(0);
    while let Ok(size) = sizes.recv() {
        *sum.borrow_mut() += size;
    }
    Ok(sum.into_inner())
}

fn main() {}
