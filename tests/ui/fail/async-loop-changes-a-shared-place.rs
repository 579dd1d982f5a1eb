// An async loop's iterations change a place declared outside the loop: they run at the same
// time as futures on one task, each holding it mutably. The loop's message says so in async
// terms, with the async `try_map` to collect values instead.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
async fn count_big(items: &[u64]) -> Result<u64, String> {
    let mut n = 0;
    for x in items {
        std::future::ready(()).await;
        if *x > 1 {
            n += 1;
        }
    }
    Ok(n)
}

#[fail_fast(workers = 4)]
async fn doubled(items: &[u64]) -> Result<Vec<u64>, String> {
    let mut out = Vec::new();
    for x in items {
        std::future::ready(()).await;
        out.push(x * 2);
    }
    Ok(out)
}

fn main() {
    let _ = count_big(&[1]);
    let _ = doubled(&[1]);
}
