// Fields of locals used in the body, in formatting macros too: a packed struct's field, a
// tuple's, and one whose struct has another field that is not `Sync` (the closure captures
// the field alone).
use failfast::fail_fast;
use std::cell::Cell;

#[repr(C, packed)]
struct Header {
    len: u32,
}

struct Mixed {
    limit: u32,
    uses: Cell<u32>,
}

#[fail_fast(workers = 4)]
fn check(items: &[u32]) -> Result<u32, String> {
    let header = Header { len: 3 };
    let pair = (10u32, "ten");
    let mixed = Mixed { limit: 5, uses: Cell::new(0) };
    for &x in items {
        if x > { header.len } + mixed.limit {
            return Err(format!("{x} > {} + {}", { header.len }, mixed.limit));
        }
        println!("{x} of {} ({})", pair.0, pair.1);
    }
    mixed.uses.set(1);
    Ok(mixed.uses.get())
}

fn main() {
    assert_eq!(check(&[1, 2]), Ok(1));
    assert!(check(&[9]).is_err());
}
