// A function returning `()` is fine when its loop has no `?`: an iteration can only end it by
// panicking or by `return;`.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 4)]
fn count_lines(texts: &[&str], lines: &AtomicUsize) {
    for text in texts {
        if text.is_empty() {
            return;
        }
        lines.fetch_add(text.lines().count(), Ordering::Relaxed);
    }
}

#[fail_fast(workers = 1)]
fn until_empty(texts: &[&str], seen: &AtomicUsize) {
    for text in texts {
        if text.is_empty() {
            return;
        }
        seen.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let lines = AtomicUsize::new(0);
    count_lines(&["a\nb", "c"], &lines);
    assert_eq!(lines.into_inner(), 3);
    // One worker is the sequential loop: nothing after the `return` runs.
    let seen = AtomicUsize::new(0);
    until_empty(&["a", "b", "", "c"], &seen);
    assert_eq!(seen.into_inner(), 2);
}
