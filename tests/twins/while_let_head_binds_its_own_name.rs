// A `while let` head with a block that binds and steps a name of its own, the same as an
// outer variable's that the body reads: the head's `n` is not the body's.
use failfast::fail_fast;
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn drain(queue: &Mutex<Vec<u32>>, seen: &Mutex<Vec<(u32, u32)>>) -> Result<(), String> {
    let n = 10u32;
    while let Some(x) = {
        let mut n = queue.lock().unwrap().pop();
        n = n.map(|v| v + 1);
        n
    } {
        seen.lock().unwrap().push((x, n));
    }
    Ok(())
}

fn main() {
    let queue = Mutex::new(vec![1, 2]);
    let seen = Mutex::new(Vec::new());
    drain(&queue, &seen).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, [(2, 10), (3, 10)]);
}
