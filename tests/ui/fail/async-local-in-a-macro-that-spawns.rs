// A macro named like a standard formatting one that hands its arguments to threads: an async
// loop's iterations may use a local that is not `Sync` (a `Cell`) in `println!`'s arguments,
// but not on threads that such a macro starts, as in the sequential loop.
use failfast::fail_fast;
use std::cell::Cell;

macro_rules! println {
    ($($args:tt)*) => {
        std::thread::scope(|s| {
            s.spawn(|| drop(format!($($args)*)));
            s.spawn(|| drop(format!($($args)*)));
        })
    };
}

#[fail_fast(workers = 2)]
async fn count(items: Vec<u32>) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    for x in items {
        hits.set(hits.get() + x);
        println!("{}", hits.get());
        tokio::task::yield_now().await;
    }
    Ok(hits.get())
}

fn main() {
    let _ = count(vec![1, 2]);
}
