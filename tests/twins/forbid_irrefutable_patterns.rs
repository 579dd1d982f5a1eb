// A crate that forbids irrefutable `if let`/`let .. else` patterns, with a `for` loop whose
// pattern takes an `enumerate()` pair apart: the rewrite's checks of the pair's parts add no
// `#[allow]` that the `forbid` refuses.
#![forbid(irrefutable_let_patterns)]
use failfast::fail_fast;

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
    assert_eq!(numbered(&["a".into(), String::new()]), Err("1 is empty".into()));
}
