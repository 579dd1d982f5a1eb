// An alias that hides a `Box<dyn Error>` (not `Send`) gets the loop's message on the whole
// error, with the `Box<dyn Error + Send + Sync>` hint, as the written type does: an alias of
// `Result`, or of the error alone.
use failfast::fail_fast;
use std::error::Error;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[fail_fast(workers = 4)]
fn parse(items: &[&str]) -> Result<()> {
    for item in items {
        let _: i32 = item.parse()?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn first_negative(lines: std::sync::mpsc::Receiver<String>) -> Result<i32> {
    while let Ok(line) = lines.recv() {
        let n: i32 = line.parse()?;
        if n < 0 {
            return Ok(n);
        }
    }
    Ok(0)
}

type BoxError = Box<dyn Error>;

#[fail_fast(workers = 4)]
fn parse_all(items: &[&str]) -> std::result::Result<(), BoxError> {
    for item in items {
        let _: i32 = item.parse()?;
    }
    Ok(())
}

fn main() {
    parse_all(&["1"]).unwrap();
    parse(&["1"]).unwrap();
    let (_, rx) = std::sync::mpsc::channel();
    first_negative(rx).unwrap();
}
