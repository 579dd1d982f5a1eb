// A crate that forbids the unused lints: the loop that keeps a value for its first `return`
// writes no `#[allow]` (which `forbid` refuses), and raises none of them.
#![forbid(unused_variables, unused_assignments, unused_mut)]
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_zero(items: &[u32], fallback: u32) -> Result<u32, String> {
    for i in items {
        if *i == 0 {
            return Ok(fallback);
        }
    }
    Ok(1)
}

#[fail_fast(workers = 4)]
fn labelled(items: &[u32]) -> Result<String, String> {
    let mut label = String::from("first");
    label.push_str(" zero");
    for i in items {
        if *i == 0 {
            return Ok(label);
        }
    }
    label.push_str(" not found");
    Ok(label)
}

#[fail_fast(workers = 4)]
fn counted(items: &[u32]) -> Result<u32, String> {
    let mut n = 3;
    n += 1;
    for i in items {
        if *i == 0 {
            return Ok(n);
        }
    }
    n += 1;
    Ok(n)
}

fn main() {
    assert_eq!(first_zero(&[1, 0], 7), Ok(7));
    assert_eq!(first_zero(&[1], 7), Ok(1));
    assert_eq!(labelled(&[0]), Ok("first zero".into()));
    assert_eq!(labelled(&[1]), Ok("first zero not found".into()));
    assert_eq!(counted(&[0]), Ok(4));
    assert_eq!(counted(&[1]), Ok(5));
}
