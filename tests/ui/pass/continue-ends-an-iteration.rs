// `continue` and `continue 'label` (naming the parallel loop) end one iteration; an inner
// sequential loop keeps its own `break` and `continue`.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 4)]
fn count_kept(items: Vec<u32>, kept: &AtomicUsize) -> Result<(), String> {
    'items: for item in items {
        if item % 2 == 0 {
            continue;
        }
        for divisor in 2..item {
            if divisor > 5 {
                break;
            }
            if item % divisor == 0 {
                continue 'items;
            }
        }
        kept.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

fn main() {
    let kept = AtomicUsize::new(0);
    count_kept((1..=30).collect(), &kept).unwrap();
    // Odd numbers without a smaller divisor from 2 to 5: 1 3 5 7 11 13 17 19 23 29.
    assert_eq!(kept.into_inner(), 10);
}
