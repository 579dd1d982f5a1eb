// A channel's jobs, summed into a `Mutex` as they arrive.
use failfast::fail_fast;
use std::sync::mpsc;
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn total(jobs: &mpsc::Receiver<u64>) -> Result<u64, String> {
    let sum = Mutex::new(0);
    while let Ok(size) = jobs.recv() {
        if size == 0 {
            return Err("an empty job".into());
        }
        *sum.lock().unwrap() += size;
    }
    Ok(sum.into_inner().unwrap())
}

fn main() {
    let (tx, rx) = mpsc::channel();
    for size in 1..=10 {
        tx.send(size).unwrap();
    }
    drop(tx);
    assert_eq!(total(&rx), Ok(55));
}
