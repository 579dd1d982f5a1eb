//! The head is evaluated on the calling thread.
use crate::common::{self};
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::Mutex;
use std::thread::ThreadId;

#[test]
fn the_head_runs_on_the_calling_thread() {
    static SITE: LoopSite = LoopSite::new();
    let caller = std::thread::current().id();
    let heads: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    let bodies: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    let values = common::scaled(50);
    let mut left = values as i32;
    let result = while_let(
        &SITE,
        4,
        || {
            heads.lock().unwrap().push(std::thread::current().id());
            left -= 1;
            Ok::<_, ()>((left >= 0).then_some(left))
        },
        |_| {
            bodies.lock().unwrap().push(std::thread::current().id());
            Ok(())
        },
    );
    assert_eq!(result, Ok(()));
    let heads = heads.into_inner().unwrap();
    assert_eq!(
        heads.len(),
        values + 1,
        "the values and the `None` that ended the loop"
    );
    assert!(heads.iter().all(|&id| id == caller));
    // The caller only feeds: the iterations run on the pool threads.
    assert_eq!(bodies.into_inner().unwrap().len(), values);
}
