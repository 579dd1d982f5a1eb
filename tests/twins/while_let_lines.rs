// Lines taken one by one from a text, each parsed with `?`.
use failfast::fail_fast;
use std::sync::atomic::{AtomicU32, Ordering};

#[fail_fast(workers = 2)]
fn sum_lines(text: &str) -> Result<u32, std::num::ParseIntError> {
    let sum = AtomicU32::new(0);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let n: u32 = line.trim().parse()?;
        sum.fetch_add(n, Ordering::Relaxed);
    }
    Ok(sum.into_inner())
}

fn main() {
    assert_eq!(sum_lines("1\n2\n3"), Ok(6));
    assert!(sum_lines("1\nx").is_err());
}
