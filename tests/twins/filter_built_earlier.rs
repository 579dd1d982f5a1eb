// An input whose non-`Send` closure is built before the loop.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 4)]
fn count_long(words: &[&str]) -> Result<(), String> {
    let checked = Cell::new(0);
    let long = words.iter().filter(|w| {
        checked.set(checked.get() + 1);
        w.len() > 3
    });
    for word in long {
        if word.contains(' ') {
            return Err(format!("{word:?} has a space"));
        }
    }
    Ok(())
}

fn main() {
    assert!(count_long(&["word", "a"]).is_ok());
}
