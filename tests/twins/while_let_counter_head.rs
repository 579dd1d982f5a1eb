// A `while let` head that steps a counter of its own: the body uses only the value it gave.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn numbered(limit: u32, total: &std::sync::atomic::AtomicU32) -> Result<(), String> {
    let mut i = 0;
    while let Some(n) = {
        i += 1;
        (i <= limit).then_some(i)
    } {
        total.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(())
}

fn main() {
    let total = std::sync::atomic::AtomicU32::new(0);
    numbered(10, &total).unwrap();
    assert_eq!(total.into_inner(), 55);
}
