// Or-patterns at the top of every loop form: a thread `for`, an async `for`, a thread and an
// async `while let` (refutable and not).
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};

#[fail_fast(workers = 2)]
fn either(items: Vec<Result<u8, u8>>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    for Ok(n) | Err(n) in items {
        total.fetch_add(u32::from(n), Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

async fn add(total: &AtomicU32, n: u8) -> Result<(), String> {
    if n == 0 {
        return Err("zero".into());
    }
    total.fetch_add(u32::from(n), Ordering::Relaxed);
    Ok(())
}

#[fail_fast(workers = 2)]
async fn either_async(items: Vec<Result<u8, u8>>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    for Ok(n) | Err(n) in items {
        add(&total, n).await?;
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
fn small_ones(items: Vec<u8>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut items = items.into_iter();
    while let Some(n @ (1 | 2)) | Some(n @ 3) = items.next() {
        total.fetch_add(u32::from(n), Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
async fn small_ones_async(items: Vec<u8>) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    let mut items = items.into_iter();
    while let Some(n @ (1 | 2)) | Some(n @ 3) = items.next() {
        add(&total, n).await?;
    }
    Ok(total.into_inner())
}

fn main() {
    assert_eq!(either(vec![Ok(1), Err(2)]), Ok(3));
    assert_eq!(
        futures::executor::block_on(either_async(vec![Ok(1), Err(2)])),
        Ok(3)
    );
    assert_eq!(
        futures::executor::block_on(either_async(vec![Ok(1), Err(0)])),
        Err("zero".into())
    );
    // The loop ends at the first value the pattern does not match (7).
    assert_eq!(small_ones(vec![1, 3, 2, 7, 1]), Ok(6));
    assert_eq!(
        futures::executor::block_on(small_ones_async(vec![1, 3, 2, 7, 1])),
        Ok(6)
    );
}
