// A head that reads a `RefCell` queue: the head runs on the calling thread, so what only it uses
// need not be `Sync`.
use failfast::fail_fast;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn drain(queue: &Rc<RefCell<VecDeque<u32>>>) -> Result<(), String> {
    while let Some(n) = queue.borrow_mut().pop_front() {
        if n > 1000 {
            return Err(format!("{n} is too big"));
        }
    }
    Ok(())
}

fn main() {
    let queue = Rc::new(RefCell::new((1..=100).collect::<VecDeque<_>>()));
    assert!(drain(&queue).is_ok());
    assert!(queue.borrow().is_empty());
}
