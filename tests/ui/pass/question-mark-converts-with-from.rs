// `?` in the body converts errors with `From` into the function's error type, as in the
// sequential loop, and the loop's first failure leaves the function.
use failfast::fail_fast;
use std::num::ParseIntError;

#[derive(Debug, PartialEq)]
enum AppError {
    Parse(String),
}

impl From<ParseIntError> for AppError {
    fn from(error: ParseIntError) -> Self {
        AppError::Parse(error.to_string())
    }
}

#[fail_fast(workers = 4)]
fn parse_all(lines: &[&str]) -> Result<usize, AppError> {
    for line in lines {
        let _n: u32 = line.parse()?;
    }
    Ok(lines.len())
}

fn main() {
    assert_eq!(parse_all(&["1", "2", "3"]), Ok(3));
    assert_eq!(
        parse_all(&["1", "x"]),
        Err(AppError::Parse("invalid digit found in string".into()))
    );
}
