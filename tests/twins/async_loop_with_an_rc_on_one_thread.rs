// An async loop on a current-thread runtime whose body shares an `Rc` of the function: its
// future is not `Send`, as the sequential loop's is not, and it need not be.
use failfast::fail_fast;
use std::cell::RefCell;
use std::rc::Rc;

#[fail_fast(workers = 3)]
async fn gather(items: Vec<u32>) -> Result<Vec<u32>, String> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    for x in items {
        tokio::task::yield_now().await;
        if x == 0 {
            return Err("zero".into());
        }
        seen.borrow_mut().push(x);
    }
    let mut seen = seen.borrow().clone();
    seen.sort_unstable();
    Ok(seen)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(runtime.block_on(gather(vec![2, 1])), Ok(vec![1, 2]));
}
