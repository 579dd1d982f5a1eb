//! First failure: the loop stops pulling, and the channel keeps what was not taken.
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn after_a_failure_the_channel_keeps_what_was_not_taken() {
    static SITE: LoopSite = LoopSite::new();
    let (tx, rx) = mpsc::channel();
    for job in 0..100 {
        tx.send(job).unwrap();
    }
    let started = AtomicUsize::new(0);
    let result = while_let(
        &SITE,
        4,
        || Ok(rx.recv().ok()),
        |job| {
            started.fetch_add(1, Ordering::SeqCst);
            if job == 10 {
                Err(job)
            } else {
                std::thread::sleep(Duration::from_micros(100));
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(10));
    let left: Vec<i32> = rx.try_iter().collect();
    let started = started.into_inner();
    assert!(started < 20, "the loop went on after its failure");
    // Taken values all started but for at most `workers - 1` taken as the failure came.
    assert!((100 - left.len()) - started < 4);
    assert_eq!(left.first(), Some(&(100 - left.len() as i32)));
}
