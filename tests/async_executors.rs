//! Async loops depend on no executor: the same loop under tokio (current-thread and
//! multi-thread), async-executor and futures' `block_on`, with real timers and wake-ups.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Service {
    calls: AtomicUsize,
}

impl Service {
    #[fail_fast(workers = 16)]
    async fn call_all(&self, ids: std::ops::Range<u32>) -> Result<u32, String> {
        for id in ids {
            // A real wake-up from another thread: an iteration is woken, not polled in a loop.
            let (sender, receiver) = futures::channel::oneshot::channel();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(1));
                let _ = sender.send(id);
            });
            let echoed = receiver.await.map_err(|e| e.to_string())?;
            if echoed == 77 {
                return Err(format!("item {echoed} failed"));
            }
            self.calls.fetch_add(1, Ordering::SeqCst);
        }
        Ok(7)
    }
}

fn check(run: impl Fn(&Service, std::ops::Range<u32>) -> Result<u32, String>) {
    let service = Service {
        calls: AtomicUsize::new(0),
    };
    assert_eq!(run(&service, 0..50), Ok(7));
    assert_eq!(service.calls.load(Ordering::SeqCst), 50);
    assert_eq!(run(&service, 0..1_000), Err("item 77 failed".to_string()));
    assert!(
        service.calls.load(Ordering::SeqCst) < 50 + 1_000,
        "stopped early"
    );
}

#[test]
fn futures_block_on() {
    check(|service, ids| futures::executor::block_on(service.call_all(ids)));
}

#[test]
fn tokio_current_thread() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    check(|service, ids| runtime.block_on(service.call_all(ids)));
}

#[test]
fn tokio_multi_thread() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    check(|service, ids| runtime.block_on(service.call_all(ids)));
}

#[test]
fn async_executor() {
    let executor = async_executor::Executor::new();
    check(|service, ids| futures_lite::future::block_on(executor.run(service.call_all(ids))));
}

#[test]
fn the_runtime_api_works_without_the_macro() {
    let limit = 3;
    let doubled = futures::executor::block_on(failfast::future::try_map(1..=5, 2, async |n| {
        if n > 10 * limit {
            Err(n)
        } else {
            Ok(n * 2)
        }
    }));
    assert_eq!(doubled, Ok(vec![2, 4, 6, 8, 10]));
    let failed =
        futures::executor::block_on(failfast::future::try_for_each(1..=100, 4, async |n| {
            if n == 7 {
                Err(n)
            } else {
                Ok(())
            }
        }));
    assert_eq!(failed, Err(7));
    // A closure returning a future works as well as an async closure.
    let lengths =
        futures::executor::block_on(failfast::future::try_map(["a", "bb"], 2, |s: &str| {
            let length = s.len();
            async move { Ok::<_, ()>(length) }
        }));
    assert_eq!(lengths, Ok(vec![1, 2]));
    let none = futures::executor::block_on(failfast::future::try_for_each(
        [1, 2, 3],
        2,
        |n| async move { (n != 2).then_some(()) },
    ));
    assert_eq!(none, None);
}
