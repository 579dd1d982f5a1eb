use failfast::fail_fast;
use std::collections::HashMap;

// A `&mut` of a standard container, changed by every iteration.
#[fail_fast(workers = 4)]
fn doubled(items: &[u32], out: &mut Vec<u32>) -> Result<(), String> {
    for &x in items {
        out.push(x * 2);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn count(words: &[&str], counts: &mut HashMap<String, usize>) -> Result<(), String> {
    for word in words {
        *counts.entry(word.to_string()).or_default() += 1;
    }
    Ok(())
}

// A total behind a `&mut`, added to by every iteration.
#[fail_fast(workers = 4)]
fn total(items: &[u64], sum: &mut u64) -> Result<(), String> {
    for &x in items {
        *sum += x;
    }
    Ok(())
}

fn main() {}
