//! A `#[fail_fast]` loop over an input that waits for its items to be handled (a channel whose
//! producer sends the next job once the last is acknowledged), pulled by the caller because
//! `&Receiver` is not `Send`: it goes on as the sequential loop does (see
//! `failfast-runtime/tests/pulled_in_lockstep.rs`). A bound of 60 s catches a hang.
use failfast::fail_fast;
use std::sync::mpsc;
use std::time::Duration;

#[fail_fast(workers = 4)]
fn consume(jobs: &mpsc::Receiver<u32>, acks: &mpsc::Sender<u32>) -> Result<(), String> {
    for job in jobs.iter() {
        if job > 1_000 {
            return Err(format!("job {job}"));
        }
        acks.send(job).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[test]
fn a_loop_over_a_channel_in_lockstep_with_its_producer() {
    let (job_tx, job_rx) = mpsc::channel::<u32>();
    let (ack_tx, ack_rx) = mpsc::channel::<u32>();
    std::thread::spawn(move || {
        for job in 0..1_000 {
            job_tx.send(job).unwrap();
            assert_eq!(ack_rx.recv().unwrap(), job);
        }
    });
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || done_tx.send(consume(&job_rx, &ack_tx)).unwrap());
    let done = done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the loop hung: an item waited for the next one, which waited for it");
    assert_eq!(done, Ok(()));
}
