// Results collected in a `Mutex`, and a counter in an atomic.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn lengths(names: &[String]) -> Result<Vec<usize>, String> {
    let found = Mutex::new(Vec::new());
    let empty = AtomicUsize::new(0);
    for name in names {
        if name.is_empty() {
            empty.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        found.lock().unwrap().push(name.len());
    }
    let mut found = found.into_inner().unwrap();
    found.sort_unstable();
    Ok(found)
}

fn main() {
    assert_eq!(lengths(&["ab".into(), "a".into()]), Ok(vec![1, 2]));
}
