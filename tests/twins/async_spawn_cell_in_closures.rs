// A spawned async function whose loop uses a `Cell` counter and a `RefCell` list inside the
// closures of its statements (`for_each(|p| hits.set(..))`, a `filter` reading a limit, a
// `move` one, a closure kept in a block, one called in the body's last statement, the
// adapters of a `let` that sums or counts them, a closure called where it is written on an
// mpsc `Receiver`, closures given to a helper and to `iter::repeat_with`). The locals are `Send` but not `Sync`: only the loop's own task may use
// them, as the sequential loop does, so its future is `Send` all the same. A closure kept by a
// `let` that lives across an `.await` would hold `&Cell` there in both loops: not written here.
use failfast::fail_fast;
use std::cell::{Cell, RefCell};

/// Calls its closure and returns, as many helpers do.
fn counted(f: impl Fn() -> u32) -> u32 {
    f()
}

async fn parts(x: u32) -> Result<Vec<u32>, String> {
    tokio::task::yield_now().await;
    match x {
        0 => Err("no parts for 0".to_string()),
        x => Ok(vec![x, x + 1]),
    }
}

#[fail_fast(workers = 4)]
async fn count(xs: Vec<u32>, limit: u32) -> Result<(u32, usize), String> {
    let hits = Cell::new(0u32);
    let small = RefCell::new(Vec::new());
    let scale = Cell::new(2u32);
    let (_more, extra) = std::sync::mpsc::channel::<u32>();
    for x in xs {
        let found = parts(x).await?;
        let waiting = (|| extra.try_recv().unwrap_or(0))();
        hits.set(hits.get() + waiting);
        counted(|| hits.get() + waiting);
        std::iter::repeat_with(|| hits.get())
            .take(1)
            .for_each(|seen| hits.set(seen));
        found.iter().for_each(|p| hits.set(hits.get() + p));
        found
            .iter()
            .filter(|p| **p < limit)
            .for_each(|p| small.borrow_mut().push(*p));
        // A `move` closure copies `limit` for a thread of its own.
        let twice = std::thread::spawn(move || limit * 2).join().unwrap_or(0);
        if twice != limit * 2 {
            return Err("the thread lost its copy".to_string());
        }
        if x % 2 == 0 {
            let over = found.iter().filter(move |p| **p >= limit).count();
            found.iter().take(over).for_each(|p| {
                let seen = hits.get();
                if *p > 1_000 {
                    hits.set(seen + p);
                }
            });
        }
        let scaled: u32 = found.iter().map(|p| p * scale.get()).sum();
        let firsts = found
            .iter()
            .filter(|p| small.borrow().contains(p))
            .count();
        if scaled < 2 || firsts > 2 {
            return Err(format!("{scaled} or {firsts} is off"));
        }
        {
            let count_twice = |p: &u32| hits.set(hits.get() + p);
            count_twice(&0);
        }
        parts(x).await?;
        found
            .iter()
            .filter(|p| **p > 1_000)
            .for_each(|p| hits.set(hits.get() + p))
    }
    let counted = (hits.get(), small.borrow().len());
    Ok(counted)
}

#[tokio::main]
async fn main() {
    let counted = tokio::spawn(count(vec![1, 2, 3, 4], 4));
    // Parts 1 2, 2 3, 3 4, 4 5: a sum of 24, of which 1, 2, 2, 3, 3 are below 4.
    assert_eq!(counted.await.unwrap(), Ok((24, 5)));
    let failed = tokio::spawn(count(vec![1, 0, 3], 4));
    assert_eq!(failed.await.unwrap(), Err("no parts for 0".to_string()));
}
