// `match` arms that `continue` or `return`, which clippy's `manual_let_else` (pedantic) would
// have written as `let ... else`: its suggestion quotes the user's `continue` and `return`.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn first_bad(values: &[Option<&str>]) -> Result<usize, String> {
    for value in values {
        let text = match value {
            Some(text) => text,
            None => continue,
        };
        let number = match text.parse::<u32>() {
            Ok(number) => number,
            Err(_) => return Err(format!("not a number: {text}")),
        };
        if number == 0 {
            return Ok(0);
        }
    }
    Ok(values.len())
}

fn main() {
    assert_eq!(first_bad(&[Some("1"), None]), Ok(2));
    assert!(first_bad(&[Some("x")]).is_err());
}
