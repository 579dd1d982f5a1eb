// `return` in the body ends the whole loop: the first iteration to return wins, and the
// function returns its value, as the sequential loop would.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(items: &[i32]) -> Result<(), String> {
    for &item in items {
        if item < 0 {
            return Err(format!("{item} is negative"));
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(check(&[1, 2, 3]), Ok(()));
    assert_eq!(check(&[1, -2, 3]), Err("-2 is negative".to_string()));
}
