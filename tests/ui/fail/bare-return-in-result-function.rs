// `return;` in a loop of a function that returns a `Result` or an `Option`: refused at the
// `return` as rustc refuses it in the sequential loop, with the values to return instead; no
// error about the iterations' type.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_check(v: &[u32]) -> Result<(), String> {
    for x in v {
        if *x == 0 {
            return;
        }
        if *x > 99 {
            Err(format!("{x} is too big"))?;
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn find(v: &[u32]) -> Option<u32> {
    for x in v {
        if *x == 0 {
            return;
        }
    }
    Some(1)
}

fn main() {
    let _ = first_check(&[1]);
    let _ = find(&[1]);
}
