// A user's macro may take a name it only spells (`stringify!`) or a pattern, which share a
// spelling with a local the loop never uses: that local is not shared by the iterations, and
// the loop compiles whatever its type (here a `Cell`, which cannot be shared), as the
// sequential loop does.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

macro_rules! count {
    ($name:ident) => {
        COUNTS[usize::from(stringify!($name) != "hits")].fetch_add(1, Ordering::Relaxed)
    };
}

macro_rules! is {
    ($value:expr, $pattern:pat) => {
        matches!($value, $pattern)
    };
}

#[derive(Debug)]
enum Kind {
    Count(u32),
    Other,
}

#[fail_fast(workers = 4)]
fn counted(items: &[u32]) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    for &item in items {
        count!(hits);
        if item > 5 {
            return Err(item.to_string());
        }
    }
    hits.set(hits.get() + 1);
    Ok(hits.get())
}

#[allow(unused_variables)]
#[fail_fast(workers = 4)]
fn others(items: &[Kind]) -> Result<u32, String> {
    let n = Cell::new(0u32);
    for kind in items {
        if is!(kind, Kind::Count(n)) {
            continue;
        }
        if !matches!(kind, Kind::Other) {
            return Err(format!("{kind:?}"));
        }
    }
    n.set(1);
    Ok(n.get())
}

fn main() {
    assert_eq!(counted(&[1, 2]), Ok(1));
    assert_eq!(COUNTS[0].load(Ordering::Relaxed), 2);
    assert_eq!(counted(&[9]), Err("9".to_string()));
    assert_eq!(others(&[Kind::Count(1), Kind::Other]), Ok(1));
}
