//! `workers = 1` is the sequential `while let`, in order.
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::Mutex;

#[test]
fn one_worker_is_the_sequential_while_let() {
    static SITE: LoopSite = LoopSite::new();
    let mut stack: Vec<u32> = (0..50).collect();
    let seen = Mutex::new(Vec::new());
    let result = while_let(
        &SITE,
        1,
        || Ok(stack.pop()),
        |n| {
            seen.lock().unwrap().push(n);
            if n == 20 {
                Err(n)
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(result, Err(20));
    assert_eq!(
        seen.into_inner().unwrap(),
        (20..50).rev().collect::<Vec<_>>()
    );
    assert_eq!(
        stack,
        (0..20).collect::<Vec<_>>(),
        "nothing pulled after it"
    );
}
