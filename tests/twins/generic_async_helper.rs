// Generic async code passing on a function that returns a future.
use failfast::fail_fast;
use std::future::Future;

#[fail_fast(workers = 4)]
async fn check_all<F, Fut>(items: Vec<u32>, check: F) -> Result<(), String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    for item in items {
        check(item).await?;
    }
    Ok(())
}

fn main() {
    let checked = futures::executor::block_on(check_all(vec![1, 2], |_| async { Ok(()) }));
    assert!(checked.is_ok());
}
