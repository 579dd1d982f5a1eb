// A function returning `()`: iterations end with `return;` or by finishing.
use failfast::fail_fast;
use std::sync::atomic::{AtomicBool, Ordering};

#[fail_fast(workers = 2)]
fn warn_negative(values: &[i32], warned: &AtomicBool) {
    for &v in values {
        if v >= 0 {
            continue;
        }
        warned.store(true, Ordering::Relaxed);
        return;
    }
}

fn main() {
    let warned = AtomicBool::new(false);
    warn_negative(&[1, -1], &warned);
    assert!(warned.into_inner());
}
