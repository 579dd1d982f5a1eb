// An async loop whose body uses an `Rc` of the function, in a future given to `tokio::spawn`:
// not `Send`, as the sequential loop's future is not. One error, the sequential loop's ("used
// across an await"), and none naming the loop's own futures or an `{async block}` the user did
// not write.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 2)]
async fn fetch_all(items: Vec<u32>, limit: Rc<u32>) -> Result<(), String> {
    let shared = Rc::new(5u32);
    for x in items {
        tokio::task::yield_now().await;
        if x == *shared || x > *limit {
            return Err("five".into());
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let _ = tokio::spawn(fetch_all(vec![1, 2], Rc::new(9))).await;
}
