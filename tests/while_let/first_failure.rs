//! First failure: the loop stops pulling, and the channel keeps what was not taken.

/// Thread loops.
mod threads {

    use failfast::fail_fast;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    #[fail_fast(workers = 4)]
    fn until_job_ten(jobs: &mpsc::Receiver<u32>, started: &AtomicUsize) -> Result<(), u32> {
        while let Ok(job) = jobs.recv() {
            started.fetch_add(1, Ordering::SeqCst);
            if job == 10 {
                return Err(job);
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        Ok(())
    }

    #[test]
    fn after_the_first_failure_the_channel_keeps_what_was_not_taken() {
        let (tx, rx) = mpsc::channel();
        for job in 0..100 {
            tx.send(job).unwrap();
        }
        let started = AtomicUsize::new(0);
        assert_eq!(until_job_ten(&rx, &started), Err(10));
        let left: Vec<u32> = rx.try_iter().collect();
        let (taken, started) = (100 - left.len(), started.into_inner());
        assert!(started < 20, "it went on after the failure");
        assert!(taken - started < 4, "taken {taken}, started {started}");
    }
}

/// Async loops.
mod tasks {

    use failfast::fail_fast;
    use std::cell::Cell;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 4)]
    async fn until_job_ten(
        jobs: &mut mpsc::UnboundedReceiver<u32>,
        started: &Cell<usize>,
    ) -> Result<(), u32> {
        while let Some(job) = jobs.recv().await {
            started.set(started.get() + 1);
            tokio::task::yield_now().await;
            if job == 10 {
                return Err(job);
            }
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn after_the_first_failure_the_channel_keeps_what_was_not_taken() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for job in 0..100 {
            tx.send(job).unwrap();
        }
        let started = Cell::new(0);
        assert_eq!(until_job_ten(&mut rx, &started).await, Err(10));
        drop(tx);
        let mut left = Vec::new();
        while let Some(job) = rx.recv().await {
            left.push(job);
        }
        assert_eq!(100 - left.len(), started.get(), "taken and never started");
        assert_eq!(left.first(), Some(&(started.get() as u32)));
    }
}
