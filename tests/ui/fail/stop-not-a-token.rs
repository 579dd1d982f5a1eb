use failfast::fail_fast;
use std::sync::atomic::AtomicBool;

#[fail_fast(workers = 4, stop = &shutdown)]
fn check_all(items: &[u32], shutdown: AtomicBool) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

// The error underlines the whole value, not only its first token.
#[fail_fast(workers = 4, stop = std::sync::atomic::AtomicBool::new(false))]
fn check_each(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
