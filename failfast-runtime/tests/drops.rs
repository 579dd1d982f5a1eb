//! Test 10: every item taken from the input is dropped exactly once, also when the loop fails.
mod common;

use common::{scaled, Item};
use failfast_runtime::try_for_each;
use std::sync::atomic::{AtomicUsize, Ordering};

fn check(workers: usize, fail_at: Option<usize>, len: usize) {
    let drops: Vec<AtomicUsize> = (0..len).map(|_| AtomicUsize::new(0)).collect();
    let pulled = AtomicUsize::new(0);
    let input = (0..len).map(|index| {
        pulled.fetch_add(1, Ordering::SeqCst);
        Item {
            index,
            drops: &drops,
        }
    });
    let result = try_for_each(input, workers, |item| {
        std::thread::yield_now();
        if Some(item.index) == fail_at {
            return Err(item.index);
        }
        Ok(())
    });
    assert_eq!(result, fail_at.map_or(Ok(()), Err));
    let pulled = pulled.load(Ordering::SeqCst);
    for (index, count) in drops.iter().enumerate() {
        let expected = usize::from(index < pulled);
        assert_eq!(
            count.load(Ordering::SeqCst),
            expected,
            "item {index} ({workers} workers)"
        );
    }
}

#[test]
fn every_pulled_item_is_dropped_exactly_once() {
    for workers in [1, 2, 4, 8] {
        let len = scaled(2_000);
        check(workers, None, len);
        check(workers, Some(0), len);
        check(workers, Some(len / 3), len);
        check(workers, Some(len - 1), len);
    }
}
