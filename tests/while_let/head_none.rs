//! A head that stops matching ends the input: the loop waits for its running iterations.

/// Thread loops.
mod threads {

    use failfast::fail_fast;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::time::Duration;

    #[fail_fast(workers = 8)]
    fn never_matches(left: u32, finished: &AtomicUsize) -> Result<(), ()> {
        while let Some(_n) = left.checked_sub(1) {
            finished.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    #[fail_fast(workers = 8)]
    fn until_none(items: &Mutex<Vec<u32>>, finished: &AtomicUsize) -> Result<(), ()> {
        while let Some(_n) = items.lock().unwrap().pop() {
            std::thread::sleep(Duration::from_millis(20));
            finished.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    #[test]
    fn a_head_that_stops_matching_waits_for_the_running_iterations() {
        let (items, finished) = (Mutex::new((0..6).collect()), AtomicUsize::new(0));
        assert_eq!(until_none(&items, &finished), Ok(()));
        assert_eq!(finished.into_inner(), 6, "returned before they finished");
    }

    #[test]
    fn a_loop_whose_head_never_matches_runs_nothing() {
        let finished = AtomicUsize::new(0);
        assert_eq!(never_matches(0, &finished), Ok(()));
        assert_eq!(finished.into_inner(), 0);
    }
}

/// Async loops.
mod tasks {

    use failfast::fail_fast;
    use std::cell::Cell;
    use std::time::Duration;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 8)]
    async fn drain(
        jobs: &mut mpsc::UnboundedReceiver<u32>,
        finished: &Cell<u32>,
    ) -> Result<(), ()> {
        while let Some(job) = jobs.recv().await {
            tokio::time::sleep(Duration::from_millis(job.into())).await;
            finished.set(finished.get() + 1);
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_head_that_stops_matching_waits_for_the_running_iterations() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for job in [20, 10, 30] {
            tx.send(job).unwrap();
        }
        drop(tx);
        let finished = Cell::new(0);
        assert_eq!(drain(&mut rx, &finished).await, Ok(()));
        assert_eq!(finished.get(), 3);
    }
}
