//! An input whose `next()` waits for the item before it to be handled (a channel whose sender
//! sends a job once the last one is acknowledged, a prompt): the caller that pulls it queues
//! each item before it asks for the next, so that the loop goes on as the sequential loop does,
//! however short its iterations (batches, which it takes once they are short, must not hold an
//! item back while `next()` waits). A bound of 60 s catches a hang; the loops take
//! milliseconds.
use std::sync::mpsc;
use std::time::Duration;

/// A producer that sends `jobs` jobs, each once the one before it came back acknowledged,
/// and what `consume` (given the jobs and the acknowledgements' sender) returned.
fn in_lockstep(
    jobs: u32,
    consume: impl FnOnce(mpsc::Receiver<u32>, mpsc::Sender<u32>) -> Result<(), String> + Send + 'static,
) -> Result<(), String> {
    let (job_tx, job_rx) = mpsc::channel::<u32>();
    let (ack_tx, ack_rx) = mpsc::channel::<u32>();
    let producer = std::thread::spawn(move || {
        for job in 0..jobs {
            job_tx.send(job).unwrap();
            assert_eq!(ack_rx.recv().unwrap(), job, "acknowledged in order");
        }
    });
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || done_tx.send(consume(job_rx, ack_tx)).unwrap());
    let consumed = done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the loop hung: an item waited for the next one, which waited for it");
    producer.join().unwrap();
    consumed
}

#[test]
fn a_receiver_owned_by_the_loop() {
    let done = in_lockstep(2_000, |jobs, acks| {
        failfast_runtime::try_for_each(jobs, 4, |job| acks.send(job).map_err(|e| e.to_string()))
    });
    assert_eq!(done, Ok(()));
}

#[test]
fn a_borrowed_receiver_that_is_not_send() {
    let done = in_lockstep(2_000, |jobs, acks| {
        // `&Receiver` is not `Send`: only the caller can pull it.
        failfast_runtime::try_for_each(jobs.iter(), 4, |job| {
            acks.send(job).map_err(|e| e.to_string())
        })
    });
    assert_eq!(done, Ok(()));
}

#[test]
fn mapped_in_order() {
    let done = in_lockstep(2_000, |jobs, acks| {
        let doubled = failfast_runtime::try_map(jobs, 2, |job| {
            acks.send(job).map_err(|e| e.to_string())?;
            Ok::<u32, String>(job * 2)
        })?;
        assert_eq!(doubled, (0..2_000).map(|job| job * 2).collect::<Vec<_>>());
        Ok(())
    });
    assert_eq!(done, Ok(()));
}

#[test]
fn one_worker_on_each_path() {
    use failfast_runtime::rewrite::{LoopSite, Shared};
    static SHARED: LoopSite = LoopSite::new();
    for workers in [1, 2] {
        let done = in_lockstep(2_000, move |jobs, acks| {
            Shared.thread_loop(jobs, workers, &SHARED, |job: u32| {
                acks.send(job).map_err(|e| e.to_string())
            })
        });
        assert_eq!(done, Ok(()), "the shared path, {workers} workers");
        let done = in_lockstep(2_000, move |jobs, acks| {
            failfast_runtime::try_for_each(jobs, workers, |job| {
                acks.send(job).map_err(|e| e.to_string())
            })
        });
        assert_eq!(done, Ok(()), "the caller's path, {workers} workers");
    }
}
