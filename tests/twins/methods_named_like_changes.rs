// Methods whose names the data-race check knows, on values the iterations may share: `str`'s
// `replace` (on `&self`) of a `&mut String` parameter, a type's own `next(&self)` on a `let
// mut` local, a `&mut Vec` parameter whose name a shared value takes before the loop, and an
// atomic's `swap(&self)`, in a slice and on a `let mut` local, and a type's own `push(&self)`
// on a `let mut` local that a `&mut self` method changes after the loop.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn tagged(names: &[String], prefix: &mut String) -> Result<(), String> {
    for name in names {
        let wanted = prefix.replace('-', "_");
        if !name.starts_with(&wanted) {
            return Err(name.clone());
        }
    }
    prefix.push('!');
    Ok(())
}

struct Ids(AtomicU64);

impl Ids {
    fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }

    fn reset(&mut self) {
        *self.0.get_mut() = 1;
    }
}

#[fail_fast(workers = 4)]
fn numbered(items: &[u32]) -> Result<u64, String> {
    let mut ids = Ids(AtomicU64::new(7));
    ids.reset();
    for &x in items {
        if ids.next() > 100 {
            return Err(format!("too many at {x}"));
        }
    }
    Ok(ids.next())
}

#[derive(Default)]
struct Bag(Mutex<Vec<u32>>);

impl Bag {
    fn push(&self, x: u32) {
        self.0.lock().unwrap().push(x);
    }
}

#[fail_fast(workers = 4)]
fn doubled(items: &[u32], out: &mut Vec<u32>) -> Result<(), String> {
    let kept = out;
    let out = Bag::default();
    for &x in items {
        out.push(x * 2);
    }
    let mut got = out.0.into_inner().unwrap();
    got.sort_unstable();
    kept.extend(got);
    Ok(())
}

impl Bag {
    fn sorted(&mut self) -> Vec<u32> {
        let items = self.0.get_mut().unwrap();
        items.sort_unstable();
        items.clone()
    }
}

#[fail_fast(workers = 4)]
fn bagged(items: &[u32]) -> Result<Vec<u32>, String> {
    let mut bag = Bag::default();
    for &x in items {
        bag.push(x + 1);
    }
    Ok(bag.sorted())
}

#[fail_fast(workers = 4)]
fn marked(items: &[usize], slots: &mut [AtomicU64]) -> Result<u64, String> {
    let mut last = AtomicU64::new(0);
    for &i in items {
        slots[i].swap(1, Ordering::Relaxed);
        last.swap(i as u64, Ordering::Relaxed);
    }
    Ok(*last.get_mut() + slots.iter().map(|slot| slot.load(Ordering::Relaxed)).sum::<u64>())
}

fn main() {
    let mut prefix = String::from("a-");
    assert!(tagged(&["a_1".into(), "a_2".into()], &mut prefix).is_ok());
    assert_eq!(prefix, "a-!");
    assert_eq!(numbered(&[1, 2, 3]), Ok(4));
    let mut out = Vec::new();
    doubled(&[1, 2], &mut out).unwrap();
    assert_eq!(out, [2, 4]);
    let mut slots = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];
    let marked_total = marked(&[2], &mut slots).unwrap();
    assert_eq!(marked_total, 3);
    assert_eq!(bagged(&[3, 1, 2]), Ok(vec![2, 3, 4]));
}
