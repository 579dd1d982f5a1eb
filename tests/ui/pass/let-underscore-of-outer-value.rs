use failfast::fail_fast;
use std::cell::Cell;

/// # Safety
/// None needed; `unsafe` only to have a block that allows it.
unsafe fn checked(x: u32) -> bool {
    x != 9
}

// `let _ = seen;` reads nothing (rustc captures no place bound to `_`), also inside
// `unsafe`: a value that is not `Sync` may stand there.
#[fail_fast(workers = 2)]
fn count(items: &[u32]) -> Result<u32, String> {
    let seen = Cell::new(0u32);
    for x in items {
        let _ = seen;
        // SAFETY: `checked` has no requirement.
        let fine = unsafe {
            let _ = seen;
            checked(*x)
        };
        if !fine {
            return Err(format!("{x}"));
        }
    }
    Ok(seen.get())
}

fn main() {
    assert_eq!(count(&[1, 2]), Ok(0));
    assert!(count(&[9]).is_err());
}
