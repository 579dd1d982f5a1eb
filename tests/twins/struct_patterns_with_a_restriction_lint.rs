// Struct patterns with a part that could refuse an item, in a crate that denies clippy's
// `unneeded_field_pattern` (a restriction lint): the rewrite's check of the pattern writes no
// `field: _` of its own.
#![deny(clippy::unneeded_field_pattern)]
use failfast::fail_fast;

pub enum Size {
    Bytes(u32),
}

pub struct Entry {
    pub name: String,
    pub size: Size,
}

pub enum Change {
    Moved { from: u32, to: u32 },
}

#[fail_fast(workers = 2)]
pub fn check(entries: Vec<Entry>, changes: Vec<Change>) -> Result<(), String> {
    #[fail_fast]
    for Entry { name, size: Size::Bytes(n) } in entries {
        if n > 100 {
            return Err(format!("{name} is {n} bytes"));
        }
    }
    #[fail_fast]
    for Change::Moved { from, to } in changes {
        if from == to {
            return Err(format!("{from} did not move"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
pub fn drain(mut stack: Vec<Entry>) -> Result<(), String> {
    while let Some(Entry { name, size: Size::Bytes(n) }) = stack.pop() {
        if n > 100 {
            return Err(format!("{name} is {n} bytes"));
        }
    }
    Ok(())
}

fn main() {
    let entry = || Entry { name: "a".to_string(), size: Size::Bytes(1) };
    assert_eq!(check(vec![entry()], vec![Change::Moved { from: 1, to: 2 }]), Ok(()));
    assert_eq!(drain(vec![entry()]), Ok(()));
}
