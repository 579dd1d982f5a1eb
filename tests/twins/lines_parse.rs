// The lines of a text, parsed with `?`.
use failfast::fail_fast;
use std::num::ParseIntError;

#[fail_fast(workers = 2)]
fn parse_all(text: &str) -> Result<(), ParseIntError> {
    for line in text.lines() {
        let _: i64 = line.trim().parse()?;
    }
    Ok(())
}

fn main() {
    assert!(parse_all("1\n2").is_ok());
}
