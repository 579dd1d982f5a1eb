// A closure whose written return type `_` is inferred as `()`, holding a marked loop that
// `return`s.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};

#[fail_fast]
fn run(groups: &[Vec<u32>], total: &AtomicU32) {
    let each = |group: &Vec<u32>| -> _ {
        #[fail_fast(workers = 2)]
        for n in group {
            if *n == 0 {
                return;
            }
            total.fetch_add(*n, Ordering::Relaxed);
        }
    };
    for g in groups {
        each(g);
    }
}

fn main() {
    let total = AtomicU32::new(0);
    run(&[vec![1, 2]], &total);
    assert_eq!(total.into_inner(), 3);
}
