// A macro in the body that expands to `return Ok(..)`: refused at the macro call, with what to
// write instead.
use failfast::fail_fast;

macro_rules! done_if {
    ($condition:expr) => {
        if $condition {
            return Ok(());
        }
    };
}

#[fail_fast(workers = 4)]
fn scan(items: &[u32]) -> Result<(), String> {
    for &item in items {
        done_if!(item == 3);
        if item > 100 {
            Err(format!("{item} is too big"))?;
        }
    }
    Ok(())
}

fn main() {
    let _ = scan(&[1, 2, 3]);
}
