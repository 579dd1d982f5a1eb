// A `&x` pattern copies a value out of a shared reference: the reference crosses threads
// (`T: Sync`), the copy is made on the worker's side (`T` need not be `Send`).
use failfast::fail_fast;
use std::sync::atomic::{AtomicU64, Ordering};

#[fail_fast(workers = 4)]
fn total<T>(items: &[T]) -> Result<u64, String>
where
    T: Copy + Into<u64> + Sync,
{
    let sum = AtomicU64::new(0);
    let mut next = items.iter();
    while let Some(&item) = next.next() {
        sum.fetch_add(item.into(), Ordering::Relaxed);
    }
    Ok(sum.into_inner())
}

fn main() {
    assert_eq!(total(&[1u32, 2, 3]), Ok(6));
}
