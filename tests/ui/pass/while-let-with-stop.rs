// A `while let` loop takes the options a `for` loop takes: a stop token, a timeout or a
// deadline, on threads and (the token) in async functions; a stopped loop leaves through the
// return type, as `?` on `Err(Stopped)` would.
use failfast::{fail_fast, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[fail_fast(workers = 4, stop = token)]
fn drain(jobs: &mpsc::Receiver<u32>, token: &StopToken, total: &AtomicUsize) -> Result<(), Stopped> {
    while let Ok(job) = jobs.recv() {
        total.fetch_add(job as usize, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 4, stop = token, timeout = Duration::from_secs(90))]
fn first_odd(numbers: &mut std::vec::IntoIter<u32>, token: StopToken) -> Option<u32> {
    while let Some(n) = numbers.next() {
        if n % 2 == 1 {
            return Some(n);
        }
    }
    None
}

#[fail_fast(workers = 2, deadline = Instant::now() + Duration::from_secs(90))]
fn check_all(mut numbers: std::vec::IntoIter<u32>) -> anyhow::Result<()> {
    while let Some(n) = numbers.next() {
        anyhow::ensure!(n < 100, "{n} is too big");
    }
    Ok(())
}

#[fail_fast(workers = 4, stop = token)]
async fn receive_all(
    messages: &mut futures::channel::mpsc::Receiver<u32>,
    token: &StopToken,
    total: &AtomicUsize,
) -> Result<(), std::io::Error> {
    while let Some(message) = futures::StreamExt::next(messages).await {
        total.fetch_add(message as usize, Ordering::Relaxed);
    }
    Ok(())
}

fn main() {
    let token = StopToken::new();
    let total = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    for job in 1..=10 {
        tx.send(job).unwrap();
    }
    drop(tx);
    assert_eq!(drain(&rx, &token, &total), Ok(()));
    assert_eq!(total.load(Ordering::Relaxed), 55);

    assert_eq!(first_odd(&mut vec![2, 4, 7].into_iter(), token.clone()), Some(7));
    assert!(check_all(vec![1, 200].into_iter()).is_err());

    let (mut tx, mut rx) = futures::channel::mpsc::channel(4);
    tx.try_send(5).unwrap();
    drop(tx);
    futures::executor::block_on(receive_all(&mut rx, &token, &total)).unwrap();
    assert_eq!(total.load(Ordering::Relaxed), 60);

    token.stop();
    let (_tx, rx) = mpsc::channel::<u32>();
    assert_eq!(drain(&rx, &token, &total), Err(Stopped::by_token()));
}
