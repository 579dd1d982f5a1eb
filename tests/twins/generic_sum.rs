// A generic function with bounds.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU64, Ordering};

#[fail_fast(workers = 4)]
fn total<T>(items: &[T], limit: u64) -> Result<u64, String>
where
    T: Copy + Into<u64> + Sync,
{
    let sum = AtomicU64::new(0);
    for &item in items {
        let value: u64 = item.into();
        if value > limit {
            return Err(format!("{value} is over {limit}"));
        }
        sum.fetch_add(value, Ordering::Relaxed);
    }
    Ok(sum.into_inner())
}

fn main() {
    assert_eq!(total(&[1u32, 2, 3], 10), Ok(6));
}
