use failfast::fail_fast;
use std::sync::atomic::AtomicBool;

#[fail_fast(workers = 4, stop = &shutdown)]
fn check_all(items: &[u32], shutdown: AtomicBool) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
