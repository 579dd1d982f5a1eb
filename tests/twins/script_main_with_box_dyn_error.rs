// A script's `main` returning `Box<dyn Error>`, whose `?` is outside the loop: the loop
// cannot fail, so nothing crosses threads and the error type need not be `Send`.
use failfast::fail_fast;
use std::error::Error;
use std::sync::atomic::{AtomicU64, Ordering};

#[fail_fast(workers = 2)]
fn main() -> Result<(), Box<dyn Error>> {
    let n: u64 = "40".parse()?;
    let total = AtomicU64::new(0);
    for i in 0..n {
        total.fetch_add(i * i, Ordering::Relaxed);
    }
    println!("{}", total.into_inner());
    Ok(())
}
