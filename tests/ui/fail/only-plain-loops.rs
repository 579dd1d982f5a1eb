// A function whose only loops are a plain `while` and a `loop`: neither has items of its own
// to split, and the error says to write a `for` or `while let` loop instead.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn poll(mut n: u32, rx: std::sync::mpsc::Receiver<u32>) -> Result<(), String> {
    while n > 0 {
        n -= 1;
    }
    loop {
        if rx.recv().is_err() {
            break;
        }
    }
    Ok(())
}

fn main() {}
