// A `ref` binding of a value that crosses threads but is not shared (`Cell` is `Send`, not
// `Sync`): the value is sent whole, and the body borrows it on the worker's side. `ref mut`
// bindings (thread and async) borrow the value mutably there.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::mpsc;

#[fail_fast(workers = 4)]
fn total(counters: mpsc::Receiver<Cell<u32>>) -> Result<u32, String> {
    let sum = std::sync::atomic::AtomicU32::new(0);
    while let Ok(ref counter) = counters.recv() {
        counter.set(counter.get() * 2);
        if counter.get() > 100 {
            return Err(format!("{} is too big", counter.get()));
        }
        sum.fetch_add(counter.get(), std::sync::atomic::Ordering::Relaxed);
    }
    Ok(sum.into_inner())
}

#[fail_fast(workers = 2)]
fn shouted(lines: mpsc::Receiver<(String, u32)>) -> Result<usize, String> {
    let total = std::sync::atomic::AtomicUsize::new(0);
    while let Ok((ref mut line, ref count)) = lines.recv() {
        line.push('!');
        total.fetch_add(line.len() * *count as usize, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

#[fail_fast(workers = 2)]
async fn shouted_async(lines: Vec<String>) -> Result<usize, String> {
    let total = std::sync::atomic::AtomicUsize::new(0);
    let mut lines = lines.into_iter();
    while let Some(ref mut line) = lines.next() {
        line.push('!');
        futures::future::ready(()).await;
        total.fetch_add(line.len(), std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

fn main() {
    let (tx, rx) = mpsc::channel();
    tx.send(("ab".to_string(), 2)).unwrap();
    drop(tx);
    assert_eq!(shouted(rx), Ok(6));
    assert_eq!(
        futures::executor::block_on(shouted_async(vec!["a".into(), "bc".into()])),
        Ok(5)
    );
    let (tx, rx) = mpsc::channel();
    for n in 1..=3 {
        tx.send(Cell::new(n)).unwrap();
    }
    drop(tx);
    assert_eq!(total(rx), Ok(12));
}
