// A generic item type without `Sync`: its references cannot go to worker threads.
use failfast::fail_fast;
use std::fmt::Debug;

#[fail_fast(workers = 4)]
fn show_all<T: Debug>(items: &[T]) -> Result<(), String> {
    for item in items {
        println!("{item:?}");
    }
    Ok(())
}

fn main() {
    let _ = show_all(&[1, 2]);
}
