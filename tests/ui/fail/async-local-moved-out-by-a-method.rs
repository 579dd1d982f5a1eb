// An async loop's iterations use a local that is not `Sync` (a `RefCell`) through a loan that
// gives each use the local itself, never a value that could be sent to another thread: a
// method that takes it by value (`into`) moves out of the loan, and is refused, as a move of
// the local in the sequential loop is.
use failfast::fail_fast;
use std::cell::RefCell;

#[fail_fast(workers = 2)]
async fn fill(items: Vec<u32>) -> Result<usize, String> {
    let log = RefCell::new(Vec::<u32>::new());
    for x in items {
        let moved: Box<RefCell<Vec<u32>>> = log.into();
        moved.borrow_mut().push(x);
        tokio::task::yield_now().await;
    }
    let filled = log.borrow().len();
    Ok(filled)
}

fn main() {
    let _ = fill(vec![1, 2]);
}
