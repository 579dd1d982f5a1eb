// A pattern with a `_name` part, in a crate that forbids unused variables and needless `mut`:
// the parallel loop adds no use of `_index` (clippy's `used_underscore_binding`) and no
// `#[allow]` that a `forbid` refuses.
#![forbid(unused_variables, unused_mut)]
use failfast::fail_fast;
use std::sync::mpsc;

#[fail_fast(workers = 4)]
fn check(items: &[String]) -> Result<(), String> {
    for (_index, item) in items.iter().enumerate() {
        if item.is_empty() {
            return Err("empty".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn check_received(names: mpsc::Receiver<(u32, String)>) -> Result<(), String> {
    while let Ok((_id, mut name)) = names.recv() {
        name.push('!');
        if name.len() < 2 {
            return Err("empty".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn numbered(items: &[String]) -> Result<(), String> {
    for (i, item) in items.iter().enumerate() {
        if item.is_empty() {
            return Err(format!("{i} is empty"));
        }
    }
    Ok(())
}

fn main() {
    assert!(check(&["a".into()]).is_ok());
    let (tx, rx) = mpsc::channel();
    tx.send((1, "a".to_string())).unwrap();
    drop(tx);
    assert!(check_received(rx).is_ok());
    assert_eq!(numbered(&["a".into(), String::new()]), Err("1 is empty".into()));
}
