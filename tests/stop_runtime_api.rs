//! The stop through the facade's runtime API: `failfast::Loop` and `failfast::future::Loop`
//! with errors users have (`anyhow`), and an async loop stopped from a tokio task.
use failfast::{cancelled, Loop, StopToken, Stopped};
use std::time::{Duration, Instant};

/// Generous bound for "this must not hang".
const HANG: Duration = Duration::from_secs(30);

fn until_cancelled() {
    let begin = Instant::now();
    while !cancelled() {
        assert!(begin.elapsed() < HANG, "the loop was never cancelled");
        std::thread::sleep(Duration::from_micros(100));
    }
}

#[test]
fn an_anyhow_error_downcasts_to_the_stop() {
    let token = StopToken::new();
    let result: anyhow::Result<()> = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(5));
            token.stop();
        });
        Loop::new(4).stop(&token).try_for_each(0.., |_| {
            until_cancelled();
            Ok(())
        })
    });
    let error = result.unwrap_err();
    assert_eq!(error.downcast_ref::<Stopped>(), Some(&Stopped::by_token()));

    let timed_out = Loop::new(2)
        .timeout(Duration::from_millis(5))
        .try_for_each(0.., |_| -> anyhow::Result<()> {
            until_cancelled();
            Ok(())
        })
        .unwrap_err();
    assert!(timed_out.downcast_ref::<Stopped>().unwrap().timed_out());
}

#[test]
fn an_async_loop_is_stopped_from_a_tokio_task() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let token = StopToken::new();
    let result: std::io::Result<()> = rt.block_on(async {
        let stopper = {
            let token = token.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(10)).await;
                token.stop();
            })
        };
        let result = tokio::time::timeout(
            HANG,
            failfast::future::Loop::new(16)
                .stop(&token)
                .try_for_each(0.., async |_| {
                    std::future::pending::<()>().await;
                    Ok(())
                }),
        )
        .await
        .expect("the stop woke the loop");
        stopper.await.unwrap();
        result
    });
    assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
}

#[test]
fn an_async_move_closure_that_owns_its_state_runs_and_is_stopped() {
    // Its futures borrow what the closure owns: `try_for_each_borrowing`, which `future::Loop`
    // has with its options as the free function has without.
    let token = StopToken::new();
    let seen = std::sync::Mutex::new(Vec::new());
    let owned = String::from("item");
    let check = async |n: u64| {
        seen.lock().unwrap().push(format!("{owned} {n}"));
        if n == 2 {
            token.stop();
        }
        std::future::ready(()).await;
        Ok(())
    };
    let stopped: std::io::Result<()> = futures::executor::block_on(
        failfast::future::Loop::new(1)
            .stop(&token)
            .try_for_each_borrowing(0.., check),
    );
    assert_eq!(stopped.unwrap_err().kind(), std::io::ErrorKind::Interrupted);
    // One at a time: nothing started after the iteration that stopped the loop.
    assert_eq!(*seen.lock().unwrap(), ["item 0", "item 1", "item 2"]);

    let prefix = String::from("item");
    let named = futures::executor::block_on(
        failfast::future::Loop::new(4).try_map_borrowing(0..3, async move |n: u32| {
            Ok::<_, ()>(format!("{prefix} {n}"))
        }),
    );
    assert_eq!(named.unwrap(), ["item 0", "item 1", "item 2"]);
}
