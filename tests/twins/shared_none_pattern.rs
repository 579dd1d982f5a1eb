// `None` as a value in the body, and as a pattern (not a variable) elsewhere in the function.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

#[fail_fast(workers = 4)]
fn total(items: &[&str]) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    for item in items {
        let parsed: Option<u32> = if item.is_empty() {
            None
        } else {
            item.parse().ok()
        };
        match parsed {
            None => continue,
            Some(n) => {
                total.fetch_add(n, Relaxed);
            }
        }
    }
    Ok(total.into_inner())
}

fn main() {
    assert_eq!(total(&["1", "", "2"]), Ok(3));
}
