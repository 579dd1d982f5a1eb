// Two macros in the body, the second of which expands to `return Ok(..)`: the error is on the
// first, and says that the cause may be another macro of the body.
use failfast::fail_fast;

macro_rules! note {
    ($item:expr) => {
        println!("checking {}", $item)
    };
}

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
        note!(item);
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
