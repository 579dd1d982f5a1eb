// edition: 2024
// A `while let` with a let chain: read lines until an empty one.
use failfast::fail_fast;
use std::io::BufRead;

#[fail_fast(workers = 4)]
fn checksum_lines(input: &[u8]) -> std::io::Result<u64> {
    let total = std::sync::atomic::AtomicU64::new(0);
    let mut lines = input.lines();
    while let Some(line) = lines.next()
        && let Ok(line) = line
        && !line.is_empty()
    {
        let sum: u64 = line.bytes().map(u64::from).sum();
        log::debug!("{line}: {sum}");
        total.fetch_add(sum, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

/// A name the chain alone uses (`n`), and a `mut` binding the chain changes.
#[fail_fast(workers = 2)]
fn firsts(input: &[Vec<u32>]) -> Result<u32, String> {
    let total = std::sync::atomic::AtomicU32::new(0);
    let mut rows = input.iter();
    while let Some(row) = rows.next()
        && let n = row.len()
        && n > 0
        && let mut row = row.clone()
        && let Some(first) = row.pop()
    {
        total.fetch_add(first, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

fn main() {
    assert_eq!(firsts(&[vec![1, 2], vec![3], vec![], vec![9]]).unwrap(), 5);
    assert_eq!(checksum_lines(b"ab\nc\n\nzz\n").unwrap(), 97 + 98 + 99);
}
