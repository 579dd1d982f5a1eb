// A macro in the body that expands to `break`: a parallel loop has no `break`, and the
// iteration does not take it as a `continue` either. rustc labels the macro's `break` as the
// cause, at `for` (which of the body's macros expands to it is not known to the rewrite); it
// suggests no value for the `break`.
use failfast::fail_fast;

macro_rules! stop_if {
    ($condition:expr) => {
        if $condition {
            break;
        }
    };
}

macro_rules! skip_if {
    ($condition:expr) => {
        if $condition {
            continue;
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

#[fail_fast(workers = 4)]
fn scan_some(items: &[u32]) -> Result<(), String> {
    for &item in items {
        skip_if!(item == 1);
        stop_if!(item == 3);
        println!("{item}");
    }
    Ok(())
}

fn main() {
    let _ = scan(&[1, 2, 3]);
    let _ = scan_some(&[1, 2, 3]);
}
