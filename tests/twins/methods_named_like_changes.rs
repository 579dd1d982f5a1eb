// Methods whose names the data-race check knows, on values the iterations may share: `str`'s
// `replace` (on `&self`) of a `&mut String` parameter, a type's own `next(&self)` on a `let
// mut` local, and a `&mut Vec` parameter whose name a shared value takes before the loop.
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

fn main() {
    let mut prefix = String::from("a-");
    assert!(tagged(&["a_1".into(), "a_2".into()], &mut prefix).is_ok());
    assert_eq!(prefix, "a-!");
    assert_eq!(numbered(&[1, 2, 3]), Ok(4));
    let mut out = Vec::new();
    doubled(&[1, 2], &mut out).unwrap();
    assert_eq!(out, [2, 4]);
}
