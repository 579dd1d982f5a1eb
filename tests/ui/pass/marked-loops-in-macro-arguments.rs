// Marked loops in a macro's arguments (`tokio::try_join!` of two async blocks; `println!`'s
// arguments, a named one too, in a braced call without `;`, and under `#[cfg]`): each runs in
// parallel, with the function's `workers` or its own, and the macro is called as written.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many fetches of one loop are in flight, and the most there were at once.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

async fn fetch(x: u32, gauge: &Gauge) -> Result<(), String> {
    let now = gauge.now.fetch_add(1, Ordering::Relaxed) + 1;
    gauge.most.fetch_max(now, Ordering::Relaxed);
    // Every other fetch of the loop starts meanwhile, up to the loop's `workers`.
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    gauge.now.fetch_sub(1, Ordering::Relaxed);
    if x > 99 {
        Err(format!("{x} is too big"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 8)]
async fn sync_both(
    local: &[u32],
    remote: &[u32],
    gauges: &(Gauge, Gauge),
) -> Result<(), String> {
    tokio::try_join!(
        async {
            #[fail_fast]
            for x in local {
                fetch(*x, &gauges.0).await?;
            }
            Ok::<(), String>(())
        },
        async {
            #[fail_fast(workers = 2)]
            for x in remote {
                fetch(*x, &gauges.1).await?;
            }
            Ok::<(), String>(())
        },
    )?;
    Ok(())
}

fn check(x: u32) -> Result<(), String> {
    if x > 99 {
        Err(format!("{x} is too big"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 4)]
fn printed(v: &[u32], runs: &AtomicUsize) -> Result<(), String> {
    println! {
        "{} of {total} checked",
        {
            #[fail_fast]
            for x in v {
                runs.fetch_add(1, Ordering::Relaxed);
                check(*x)?;
            }
            v.len()
        },
        total = {
            #[fail_fast]
            for x in v {
                runs.fetch_add(1, Ordering::Relaxed);
                check(*x)?;
            }
            v.len()
        }
    }
    #[cfg(any())]
    println!("{}", {
        #[fail_fast]
        for x in v {
            runs.fetch_add(1, Ordering::Relaxed);
        }
        v.len()
    });
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs = AtomicUsize::new(0);
    assert_eq!(printed(&[1, 2, 3], &runs), Ok(()));
    // Both loops ran, each once per item; the one under `#[cfg(any())]` is compiled out.
    assert_eq!(runs.load(Ordering::Relaxed), 6);
    assert_eq!(printed(&[1, 200, 3], &runs), Err("200 is too big".to_string()));

    let gauges = <(Gauge, Gauge)>::default();
    let items: Vec<u32> = (0..20).collect();
    assert_eq!(sync_both(&items, &items, &gauges).await, Ok(()));
    // The function's 8 and the loop's own 2, where sequential loops would have 1 each.
    assert_eq!(gauges.0.most.load(Ordering::Relaxed), 8);
    assert_eq!(gauges.1.most.load(Ordering::Relaxed), 2);
    let broken = [1, 200, 3];
    assert_eq!(
        sync_both(&items, &broken, &gauges).await,
        Err("200 is too big".to_string())
    );
}
