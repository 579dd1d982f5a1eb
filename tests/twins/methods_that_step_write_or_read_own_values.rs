// Methods named like the ones that change an iterator, a writer, a reader or a hasher, on
// values the iterations may share, where nothing shared changes: a `RwLock`'s `read()` and
// `write()`, a logger of the user's own with `write(&self, ..)` and `flush(&self)`, a
// `Mutex<Vec<u8>>` written through its guard, iterators, readers and hashers that each
// iteration makes for itself, an iterator of the user's own with a `next(&self)` of its own
// beside `Iterator::next`, a trait of the user's own with a `write(&self, x)` on a `Vec` whose
// element type is inferred later, and a `move` closure in a macro's arguments that reads its
// own copy of a `&[u8]`, and a logging trait of the user's own whose `write(&self, line)` a
// `File` implements.
use failfast::fail_fast;
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::io::{BufRead, Write};
use std::io::Read;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, RwLock};

trait Journal {
    fn write(&self, line: &str) -> usize;
}

impl Journal for std::fs::File {
    fn write(&self, line: &str) -> usize {
        line.len()
    }
}

#[fail_fast(workers = 2)]
fn logged(lines: &[&str]) -> Result<usize, String> {
    let log = std::fs::File::open("/dev/null").map_err(|e| e.to_string())?;
    for line in lines {
        if log.write(line) == 0 {
            return Err(String::from("empty line"));
        }
    }
    Ok(lines.len())
}

struct Ids(AtomicU32);

impl Ids {
    fn next(&self) -> u32 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

impl Iterator for Ids {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        Some(*self.0.get_mut())
    }
}

trait Put<T> {
    fn write(&self, x: T) -> usize;
}

impl<T> Put<T> for Vec<T> {
    fn write(&self, _: T) -> usize {
        self.len()
    }
}

#[fail_fast(workers = 2)]
fn numbered(xs: &[u32], mut data: &[u8]) -> Result<u32, String> {
    let ids = Ids(AtomicU32::new(0));
    let kept = Vec::new();
    for x in xs {
        let id = ids.next();
        if kept.write(*x) > 0 || id > 100 {
            return Err(String::from("full"));
        }
        assert!(
            (move || {
                let mut two = [0u8; 2];
                data.read(&mut two).unwrap()
            })() == 2,
            "{x}"
        );
    }
    let mut rest = Vec::new();
    data.read_to_end(&mut rest).map_err(|e| e.to_string())?;
    Ok(ids.next() + kept.len() as u32 + rest.len() as u32)
}

struct Log(Mutex<Vec<String>>);

impl Log {
    fn write(&self, line: &str) {
        self.0.lock().unwrap().push(line.to_string());
    }

    fn flush(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

#[fail_fast(workers = 4)]
fn checked(
    words: &[&str],
    limits: &RwLock<Vec<usize>>,
    log: &Log,
    out: &Mutex<Vec<u8>>,
) -> Result<u64, String> {
    let mut total = 0;
    for word in words {
        let limit = limits.read().unwrap()[0];
        if word.len() > limit {
            return Err(format!("{word} is longer than {limit}"));
        }
        log.write(word);
        out.lock().unwrap().write_all(word.as_bytes()).map_err(|e| e.to_string())?;
        let mut letters = word.chars();
        let first = letters.next();
        let mut lines = std::io::Cursor::new(word.as_bytes()).lines();
        let line = lines.next().transpose().map_err(|e| e.to_string())?;
        let mut hasher = DefaultHasher::new();
        hasher.write_u32(word.len() as u32);
        if first.is_none() || line.is_none() || hasher.finish() == 0 {
            return Err(String::from("empty"));
        }
    }
    limits.write().unwrap()[0] += 1;
    total += log.flush() as u64;
    Ok(total)
}

fn main() {
    assert_eq!(numbered(&[1, 2, 3], b"abcd"), Ok(7));
    assert_eq!(logged(&["a", "b"]), Ok(2));
    assert!(logged(&["a", ""]).is_err());
    let limits = RwLock::new(vec![5]);
    let log = Log(Mutex::new(Vec::new()));
    let out = Mutex::new(Vec::new());
    assert_eq!(checked(&["a", "bb", "ccc"], &limits, &log, &out), Ok(3));
    assert_eq!(out.into_inner().unwrap().len(), 6);
    assert_eq!(limits.into_inner().unwrap(), vec![6]);
    assert!(checked(&["toolong"], &RwLock::new(vec![2]), &log, &Mutex::new(Vec::new())).is_err());
}
