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
        total.fetch_add(sum, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(total.into_inner())
}

fn main() {
    assert_eq!(checksum_lines(b"ab\nc\n\nzz\n").unwrap(), 97 + 98 + 99);
}
