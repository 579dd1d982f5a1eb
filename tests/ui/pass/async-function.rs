// An `async fn` may hold a thread-mode loop, as long as the body does not `.await`.
use failfast::fail_fast;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

#[fail_fast(workers = 2)]
async fn sizes(names: Vec<&str>) -> Result<usize, String> {
    let count = names.len();
    for name in names {
        if name.is_empty() {
            Err("empty name".to_string())?;
        }
    }
    Ok(count)
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

fn main() {
    assert_eq!(block_on(sizes(vec!["a", "b"])), Ok(2));
    assert_eq!(block_on(sizes(vec!["a", ""])), Err("empty name".to_string()));
}
