// A macro in the body that expands to `break`: a parallel loop has no `break`, and the
// iteration does not take it as a `continue` either.
use failfast::fail_fast;

macro_rules! stop_if {
    ($condition:expr) => {
        if $condition {
            break;
        }
    };
}

#[fail_fast(workers = 4)]
fn scan(items: &[u32]) -> Result<(), String> {
    for &item in items {
        stop_if!(item == 3);
        println!("{item}");
    }
    Ok(())
}

fn main() {
    let _ = scan(&[1, 2, 3]);
}
