// A `ref` binding of a value that crosses threads but is not shared (`Cell` is `Send`, not
// `Sync`): the value is sent whole, and the body borrows it on the worker's side.
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

fn main() {
    let (tx, rx) = mpsc::channel();
    for n in 1..=3 {
        tx.send(Cell::new(n)).unwrap();
    }
    drop(tx);
    assert_eq!(total(rx), Ok(12));
}
