// In an `async fn`, a loop whose body calls macros that do not await the function's future
// stays a thread loop (it needs no `workers`, and runs its items on threads): a user's own
// `join!`, crossbeam's synchronous `select!`, and `.await` only inside an `async` block of a
// macro's arguments.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

macro_rules! join {
    ($a:expr, $b:expr) => {
        format!("{}/{}", $a, $b)
    };
}

async fn double(x: u32) -> u32 {
    x * 2
}

#[fail_fast]
async fn paths(root: &str, names: &[&str], seen: &AtomicUsize) -> Result<(), String> {
    for name in names {
        let path = join!(root, name);
        if path.is_empty() {
            return Err("empty".into());
        }
        seen.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[fail_fast]
async fn received(names: &[u32], rx: &crossbeam_channel::Receiver<u32>) -> Result<u32, String> {
    let total = AtomicUsize::new(0);
    for name in names {
        crossbeam_channel::select! {
            recv(rx) -> value => total.fetch_add((value.unwrap_or(0) + name) as usize, Ordering::SeqCst),
            default => total.fetch_add(*name as usize, Ordering::SeqCst),
        };
    }
    Ok(total.into_inner() as u32)
}

#[fail_fast]
async fn checked(names: &[u32]) -> Result<(), String> {
    for name in names {
        assert!(futures::executor::block_on(async { double(*name).await }) > 0);
    }
    Ok(())
}

fn main() {
    // Not `futures::executor::block_on`: the calling thread runs items too, and `checked`'s
    // own `block_on` may not run inside another.
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let seen = AtomicUsize::new(0);
        assert_eq!(paths("r", &["a", "b"], &seen).await, Ok(()));
        assert_eq!(seen.into_inner(), 2);
        let (_send, rx) = crossbeam_channel::unbounded::<u32>();
        assert_eq!(received(&[1, 2], &rx).await, Ok(3));
        assert_eq!(checked(&[1, 2]).await, Ok(()));
    });
}
