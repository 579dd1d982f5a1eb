// `fail_fast` imported under another name marks loops by that name too: the inner loop, not
// the outer one, runs in parallel, and no marker is left for rustc.
use failfast::fail_fast as parallel;
use std::sync::atomic::{AtomicUsize, Ordering};

#[parallel(workers = 2)]
fn run(groups: &[Vec<u32>], calls: &AtomicUsize) -> Result<(), String> {
    for group in groups {
        #[parallel(workers = 3)]
        for x in group {
            calls.fetch_add(1, Ordering::Relaxed);
            if *x == 0 {
                return Err(format!("zero in a group of {}", group.len()));
            }
        }
    }
    Ok(())
}

// The compiler's own attributes on a loop stay what they are: the outer loop is the one picked.
#[parallel]
fn all_small(groups: &[Vec<u32>]) -> Option<()> {
    for group in groups {
        #[allow(clippy::needless_range_loop)]
        for i in 0..group.len() {
            if group[i] > 100 {
                return None;
            }
        }
    }
    Some(())
}

fn main() {
    let calls = AtomicUsize::new(0);
    assert_eq!(run(&[vec![1, 2], vec![3]], &calls), Ok(()));
    assert_eq!(calls.into_inner(), 3);
    assert_eq!(
        run(&[vec![1], vec![4, 0]], &AtomicUsize::new(0)),
        Err("zero in a group of 2".to_string())
    );
    assert_eq!(all_small(&[vec![1, 2], vec![3]]), Some(()));
    assert_eq!(all_small(&[vec![1], vec![300]]), None);
}
