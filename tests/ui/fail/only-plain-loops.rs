// A function whose only loops are a plain `while` and a `loop`: neither has items of its own
// to split, and the error says to write a `for` or `while let` loop instead. (And one whose
// `while let` is inside a `loop`, which is named, to be marked.)
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

// A `while let` inside a plain `loop`: not outermost, so it is named, to be marked.
#[fail_fast(workers = 4)]
fn drain(queue: &std::sync::Mutex<Vec<u32>>) -> Result<(), String> {
    loop {
        while let Some(item) = queue.lock().unwrap().pop() {
            println!("{item}");
        }
        break;
    }
    Ok(())
}

fn main() {}
