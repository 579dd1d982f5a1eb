// Patterns that match every item, written with forms that can also refuse one: an enum's only
// variant, an or-pattern, a struct around a tuple, a reference to a tuple struct.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU64, Ordering};

enum Sized2 {
    Bytes(u64),
}

struct Wrapper(u64);

struct Pair {
    name: &'static str,
    sizes: (u64, u64),
}

#[fail_fast(workers = 2)]
fn total(
    sized: Vec<Sized2>,
    either: Vec<Result<u64, u64>>,
    pairs: &[Pair],
    wrapped: &[Wrapper],
    sum: &AtomicU64,
) -> Result<(), String> {
    #[fail_fast]
    for Sized2::Bytes(n) in sized {
        sum.fetch_add(n, Ordering::Relaxed);
    }
    #[fail_fast]
    for Ok(n) | Err(n) in either {
        sum.fetch_add(n, Ordering::Relaxed);
    }
    #[fail_fast]
    for Pair { name, sizes: (a, b) } in pairs {
        if name.is_empty() {
            return Err("no name".to_string());
        }
        sum.fetch_add(a + b, Ordering::Relaxed);
    }
    #[fail_fast]
    for &Wrapper(n) in wrapped {
        sum.fetch_add(n, Ordering::Relaxed);
    }
    Ok(())
}

struct Rec {
    size: u64,
    name: String,
}

// A `ref` field written shorthand, and a capitalized binding.
#[fail_fast(workers = 2)]
fn named(records: Vec<Rec>, pairs: Vec<(u64, u64)>, sum: &AtomicU64) -> Result<(), String> {
    #[fail_fast]
    for Rec { size, ref name } in records {
        if name.is_empty() {
            return Err("no name".to_string());
        }
        sum.fetch_add(size, Ordering::Relaxed);
    }
    #[fail_fast]
    #[allow(non_snake_case)]
    for (a, B) in pairs {
        sum.fetch_add(a * B, Ordering::Relaxed);
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn total_async(either: Vec<Result<u64, u64>>, sum: &AtomicU64) -> Result<(), String> {
    for Ok(n) | Err(n) in either {
        std::future::ready(()).await;
        sum.fetch_add(n, Ordering::Relaxed);
    }
    Ok(())
}

fn main() {
    let sum = AtomicU64::new(0);
    let pairs = [Pair { name: "a", sizes: (1, 2) }];
    total(vec![Sized2::Bytes(4)], vec![Ok(8), Err(16)], &pairs, &[Wrapper(32)], &sum).unwrap();
    futures::executor::block_on(total_async(vec![Ok(64)], &sum)).unwrap();
    assert_eq!(sum.load(Ordering::Relaxed), 127);
    let records = vec![Rec { size: 1, name: "a".to_string() }];
    named(records, vec![(2, 3)], &sum).unwrap();
    assert_eq!(sum.load(Ordering::Relaxed), 134);
}
