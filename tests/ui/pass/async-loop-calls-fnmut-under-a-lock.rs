// What the message for an `FnMut` called in an async loop tells to write: the call made under
// the lock, its future awaited after the guard is gone. It compiles, runs, and the loop's future
// can be spawned.
use failfast::fail_fast;
use std::future::Future;

#[fail_fast(workers = 4)]
async fn each<T, E, F, Fut>(items: Vec<T>, f: F) -> Result<(), E>
where
    F: FnMut(T) -> Fut + Send,
    Fut: Future<Output = Result<(), E>>,
{
    let f = std::sync::Mutex::new(f);
    for item in items {
        let step = (f.lock().unwrap())(item);
        step.await?;
    }
    Ok(())
}

fn main() {
    let mut calls = 0;
    let result = futures::executor::block_on(each(vec![1, 2, 3], |x: u32| {
        calls += 1;
        async move { if x == 2 { Err(x) } else { Ok(()) } }
    }));
    assert_eq!(result, Err(2));
    assert!((2..=3).contains(&calls));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let spawned = runtime.spawn(each(vec![1u32, 2], |_| async { Ok::<(), ()>(()) }));
    assert_eq!(runtime.block_on(spawned).unwrap(), Ok(()));
}
