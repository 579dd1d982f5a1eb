// Methods named like the ones that change an iterator, a writer, a reader or a hasher, on
// values the iterations may share, where nothing shared changes: a `RwLock`'s `read()` and
// `write()`, a logger of the user's own with `write(&self, ..)` and `flush(&self)`, a
// `Mutex<Vec<u8>>` written through its guard, and iterators, readers and hashers that each
// iteration makes for itself.
use failfast::fail_fast;
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::io::{BufRead, Write};
use std::sync::{Mutex, RwLock};

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
    let limits = RwLock::new(vec![5]);
    let log = Log(Mutex::new(Vec::new()));
    let out = Mutex::new(Vec::new());
    assert_eq!(checked(&["a", "bb", "ccc"], &limits, &log, &out), Ok(3));
    assert_eq!(out.into_inner().unwrap().len(), 6);
    assert_eq!(limits.into_inner().unwrap(), vec![6]);
    assert!(checked(&["toolong"], &RwLock::new(vec![2]), &log, &Mutex::new(Vec::new())).is_err());
}
