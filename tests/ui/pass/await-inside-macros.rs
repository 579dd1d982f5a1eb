// In an `async fn`, a loop whose body (or `while let` head) awaits only inside a macro is an
// async loop too: `select!`, `join!` and `try_join!` await, and so does a macro call with
// `.await` among its arguments (`assert!(f().await)`), also a bare `try_join!` in a loop with
// `workers`. Before, such a loop ran on threads,
// and rustc said that its `for` was not `async`.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::try_join;

macro_rules! second {
    ($a:expr, $b:expr) => {{
        let _ = $a;
        $b
    }};
}
use std::time::Duration;

async fn double(x: u64) -> Result<u64, String> {
    tokio::task::yield_now().await;
    Ok(x * 2)
}

async fn is_small(x: u64) -> bool {
    tokio::task::yield_now().await;
    x < 100
}

#[fail_fast(workers = 3)]
async fn selected(v: &[u64], running: &AtomicUsize, most: &AtomicUsize) -> Result<(), String> {
    for &ms in v {
        most.fetch_max(running.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(ms)) => {}
            () = tokio::time::sleep(Duration::from_secs(30)) => return Err(format!("timeout {ms}")),
        }
        running.fetch_sub(1, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn joined(v: &[u64]) -> Result<u64, String> {
    let total = AtomicUsize::new(0);
    for &x in v {
        let (first, second) = tokio::try_join!(double(x), double(x + 1))?;
        let (both, _) = futures::join!(double(first), double(second));
        total.fetch_add(usize::try_from(both?).unwrap(), Ordering::SeqCst);
    }
    Ok(total.into_inner() as u64)
}

// A bare `try_join!` (imported) in a loop with `workers`; an `.await` after an async closure
// among a macro's arguments.
#[fail_fast(workers = 2)]
async fn imported(v: &[u64]) -> Result<u64, String> {
    let total = AtomicUsize::new(0);
    for &x in v {
        let (first, _) = try_join!(double(x), double(x))?;
        let again = second!(async |y: u64| y + 1, {
            let value = double(first).await?;
            value + 1
        });
        total.fetch_add(usize::try_from(again).unwrap(), Ordering::SeqCst);
    }
    Ok(total.into_inner() as u64)
}

#[fail_fast(workers = 2)]
async fn asserted(v: &[u64]) -> Option<()> {
    for &x in v {
        assert!(is_small(x).await, "{x} is not small");
    }
    Some(())
}

#[fail_fast(workers = 3)]
async fn drained(rx: &mut tokio::sync::mpsc::Receiver<u32>) -> Result<u32, String> {
    let sum = AtomicUsize::new(0);
    while let Some(x) = tokio::select! {
        v = rx.recv() => v,
        () = tokio::time::sleep(Duration::from_secs(30)) => None,
    } {
        if x == 9 {
            return Err("nine".into());
        }
        sum.fetch_add(x as usize, Ordering::SeqCst);
    }
    Ok(sum.into_inner() as u32)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    assert_eq!(selected(&[20, 20, 20, 20], &running, &most).await, Ok(()));
    assert!(most.into_inner() > 1, "the iterations of an async loop overlap");
    assert_eq!(joined(&[1, 2]).await, Ok(4 + 8));
    assert_eq!(asserted(&[1, 2]).await, Some(()));
    assert_eq!(imported(&[1, 2]).await, Ok(5 + 9));
    let (send, mut rx) = tokio::sync::mpsc::channel(8);
    for x in [1, 2, 3] {
        send.send(x).await.unwrap();
    }
    drop(send);
    assert_eq!(drained(&mut rx).await, Ok(6));
}
