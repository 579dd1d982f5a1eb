//! A head that stops matching ends the input: the loop waits for its running iterations.
use crate::common::{wait_until, Gate};
use crate::while_let;
use failfast_runtime::rewrite::LoopSite;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[test]
fn a_head_that_stops_matching_waits_for_the_running_iterations() {
    static SITE: LoopSite = LoopSite::new();
    let finished = AtomicUsize::new(0);
    let evaluated = AtomicUsize::new(0);
    let gate = Gate::default();
    let mut left = 6;
    std::thread::scope(|s| {
        let looped = s.spawn(|| {
            while_let(
                &SITE,
                8,
                || {
                    evaluated.fetch_add(1, Ordering::SeqCst);
                    left -= 1;
                    Ok::<_, ()>((left >= 0).then_some(()))
                },
                |()| {
                    gate.wait();
                    finished.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            )
        });
        wait_until("the head has ended", || {
            evaluated.load(Ordering::SeqCst) == 7
        });
        std::thread::sleep(Duration::from_millis(20));
        assert!(!looped.is_finished(), "returned with iterations running");
        gate.open();
        assert_eq!(looped.join().unwrap(), Ok(()));
    });
    assert_eq!(finished.into_inner(), 6);
    assert_eq!(evaluated.into_inner(), 7, "not evaluated after `None`");
}
