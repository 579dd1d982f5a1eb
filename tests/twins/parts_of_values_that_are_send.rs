// Values that cross threads whole, whose parts need not: a pointer wrapper made `Send` by
// hand, a struct made `Sync` by hand, and generic pairs and results bound `Send` as a whole.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::mpsc;

struct SendPtr(*mut u64);
// SAFETY: each pointer is written by one iteration only, in this example.
unsafe impl Send for SendPtr {}

#[fail_fast(workers = 4)]
fn fill(ptrs: Vec<SendPtr>) -> Result<(), String> {
    for SendPtr(p) in ptrs {
        // SAFETY: see above.
        unsafe { *p = 1 };
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn fill_received(ptrs: mpsc::Receiver<SendPtr>) -> Result<(), String> {
    while let Ok(SendPtr(p)) = ptrs.recv() {
        // SAFETY: see above.
        unsafe { *p = 2 };
    }
    Ok(())
}

struct Slot {
    hits: Cell<u32>,
    id: u32,
}
// SAFETY: `hits` is only read, in this example.
unsafe impl Sync for Slot {}

#[fail_fast(workers = 4)]
fn ids(slots: &[Slot]) -> Result<(), String> {
    for Slot { hits, id } in slots {
        if hits.get() > 0 && *id == 0 {
            return Err("slot 0 was hit".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn pairs<A: Sync, B: Sync + PartialEq>(v: Vec<(A, B)>, unwanted: &B) -> Result<(), String>
where
    (A, B): Send,
{
    for (_a, b) in v {
        if b == *unwanted {
            return Err("unwanted".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn first<T, E>(items: &[u32], found: fn(u32) -> Result<T, E>, none: T) -> Result<T, E>
where
    Result<T, E>: Send,
{
    for &n in items {
        if n > 10 {
            return found(n);
        }
    }
    Ok(none)
}

fn main() {
    let mut cells = [0u64; 3];
    let ptrs = cells.iter_mut().map(|c| SendPtr(c)).collect();
    fill(ptrs).unwrap();
    assert_eq!(cells, [1, 1, 1]);
    let (tx, rx) = mpsc::channel();
    tx.send(SendPtr(&mut cells[0])).unwrap();
    drop(tx);
    fill_received(rx).unwrap();
    assert_eq!(cells[0], 2);
    let slots = [Slot { hits: Cell::new(1), id: 1 }];
    ids(&slots).unwrap();
    assert!(pairs(vec![(1, 2)], &3).is_ok());
    assert_eq!(first(&[1, 20], Ok::<u32, ()>, 0), Ok(20));
}
