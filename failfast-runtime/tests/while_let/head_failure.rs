//! A failure or a panic in the head ends the loop like an iteration's.
use crate::common::{wait_until, Concurrency};
use crate::while_let;
use failfast_runtime::cancelled;
use failfast_runtime::rewrite::LoopSite;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[test]
fn a_failing_head_ends_the_loop_and_cancels_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let evaluated = AtomicUsize::new(0);
    let saw_cancel = AtomicUsize::new(0);
    let running = Concurrency::default();
    let result = while_let(
        &SITE,
        4,
        || {
            let n = evaluated.fetch_add(1, Ordering::SeqCst);
            if n < 3 {
                return Ok(Some(n));
            }
            // Fails only once the 3 iterations are running, which then see the cancellation.
            wait_until("3 iterations run", || running.now() == 3);
            Err(format!("page {n} failed"))
        },
        |_| {
            let _running = running.enter();
            wait_until("the loop is cancelled", cancelled);
            saw_cancel.fetch_add(1, Ordering::SeqCst);
            Ok(())
        },
    );
    assert_eq!(result, Err("page 3 failed".to_string()));
    assert_eq!(
        evaluated.into_inner(),
        4,
        "the head is not evaluated after it failed"
    );
    assert_eq!(saw_cancel.into_inner(), 3);
}

#[test]
fn a_panicking_head_resumes_on_the_caller_after_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let finished = AtomicUsize::new(0);
    let mut n = 0;
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        while_let(
            &SITE,
            4,
            || {
                n += 1;
                if n == 5 {
                    panic!("head broke");
                }
                Ok::<_, ()>(Some(n))
            },
            |_| {
                std::thread::sleep(Duration::from_millis(5));
                finished.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
    }));
    let payload = panicked.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"head broke"));
    assert_eq!(
        finished.into_inner(),
        4,
        "the running iterations finished first"
    );
}
