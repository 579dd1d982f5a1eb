//! A failure in the head (`?` in `HEAD`) ends the loop like an iteration's failure.

/// Thread loops.
mod threads {
    use crate::{wait_until, Running};
    use failfast::{cancelled, fail_fast};
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn page(pages: &mut u32, running: &Running) -> Result<Option<u32>, String> {
        *pages += 1;
        if *pages <= 3 {
            return Ok(Some(*pages));
        }
        // Fails once the 3 iterations run, which then see the loop cancelled.
        wait_until("3 iterations run", || {
            running.now.load(Ordering::SeqCst) == 3
        });
        Err(format!("page {pages} failed"))
    }

    #[fail_fast(workers = 4)]
    fn failing_head(pages: &mut u32, running: &Running, saw: &AtomicUsize) -> Result<(), String> {
        while let Some(_page) = page(pages, running)? {
            running.enter();
            wait_until("the loop is cancelled", cancelled);
            saw.fetch_add(1, Ordering::SeqCst);
            running.leave();
        }
        Ok(())
    }

    #[test]
    fn a_failure_in_the_head_ends_the_loop_like_an_iterations() {
        let (mut pages, running, saw) = (0, Running::default(), AtomicUsize::new(0));
        assert_eq!(
            failing_head(&mut pages, &running, &saw),
            Err("page 4 failed".to_string())
        );
        assert_eq!(pages, 4, "the head is not evaluated after its failure");
        assert_eq!(saw.into_inner(), 3, "the running iterations were cancelled");
    }
}

/// Async loops.
mod tasks {
    use crate::{Flag, HANG};
    use failfast::fail_fast;
    use std::cell::Cell;
    use std::time::Duration;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 4)]
    async fn failing_head(
        jobs: &mut mpsc::UnboundedReceiver<Result<u32, String>>,
        dropped: &Cell<usize>,
    ) -> Result<(), String> {
        while let Some(job) = jobs.recv().await.transpose()? {
            let _flag = Flag(dropped);
            tokio::time::sleep(Duration::from_secs(job.into())).await;
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_failure_in_the_head_drops_the_iterations_at_once() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for job in [60, 60, 60] {
            tx.send(Ok(job)).unwrap();
        }
        tx.send(Err("the listing broke".to_string())).unwrap();
        tx.send(Ok(1)).unwrap();
        let dropped = Cell::new(0);
        let looped = tokio::time::timeout(HANG, failing_head(&mut rx, &dropped)).await;
        assert_eq!(
            looped.expect("waited for the iterations"),
            Err("the listing broke".to_string())
        );
        assert_eq!(dropped.get(), 3);
        assert_eq!(rx.try_recv(), Ok(Ok(1)), "not evaluated after its failure");
    }
}
