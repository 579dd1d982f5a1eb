use failfast::fail_fast;

fn check(config: &[u8]) -> Result<(), usize> {
    if config.is_empty() {
        Err(0)
    } else {
        Ok(())
    }
}

fn size(config: &[u8]) -> usize {
    config.len()
}

// A `&mut` declared outside the loop, passed where a reference is expected by a `?` or a
// `return`, is reborrowed, not moved: it compiles as the sequential loop does.
#[fail_fast(workers = 2)]
fn first_zero(items: &[u32], config: &mut Vec<u8>) -> Result<usize, usize> {
    for x in items {
        check(config)?;
        if *x == 0 {
            return Ok(size(config));
        }
    }
    Ok(0)
}

struct Seen {
    n: u32,
    hits: std::cell::Cell<u32>,
}

// `let _ = seen.n;` reads nothing either (rustc captures no place bound to `_`), though
// `Seen` is not `Sync`.
#[fail_fast(workers = 2)]
fn count(items: &[u32], seen: &Seen) -> Result<u32, String> {
    for x in items {
        let _ = seen.n;
        if *x == 7 {
            return Err("seven".into());
        }
    }
    seen.hits.set(seen.hits.get() + 1);
    Ok(seen.n)
}

fn main() {
    let mut config = vec![1, 2];
    assert_eq!(first_zero(&[3, 0], &mut config), Ok(2));
    assert_eq!(first_zero(&[3], &mut Vec::new()), Err(0));
    let seen = Seen { n: 1, hits: std::cell::Cell::new(0) };
    assert_eq!(count(&[1], &seen), Ok(1));
    assert_eq!(seen.hits.get(), 1);
}
