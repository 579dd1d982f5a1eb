// A filter capturing a set whose item type is given only after the loop.
use failfast::fail_fast;
use std::collections::HashSet;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn fresh(names: &[&str]) -> Result<usize, String> {
    let mut seen = HashSet::new();
    for name in names.iter().filter(|n| !seen.contains(**n)) {
        if name.is_empty() {
            return Err("an empty name".into());
        }
    }
    seen.insert(Rc::from("done"));
    Ok(seen.len())
}

fn main() {
    assert_eq!(fresh(&["a", "b"]), Ok(1));
}
