// Aliases such as `io::Result<T>`, and boxed errors that can cross threads.
use failfast::fail_fast;
use std::error::Error;
use std::io;

#[fail_fast(workers = 2)]
fn io_alias(paths: &[&str]) -> io::Result<usize> {
    for path in paths {
        if path.is_empty() {
            Err(io::Error::new(io::ErrorKind::NotFound, "empty path"))?;
        }
    }
    Ok(paths.len())
}

#[fail_fast(workers = 2)]
fn boxed(lines: &[&str]) -> Result<(), Box<dyn Error + Send + Sync>> {
    for line in lines {
        let _: i32 = line.parse()?;
    }
    Ok(())
}

fn main() {
    assert_eq!(io_alias(&["a"]).unwrap(), 1);
    assert_eq!(io_alias(&["a", ""]).unwrap_err().kind(), io::ErrorKind::NotFound);
    assert!(boxed(&["1"]).is_ok());
    assert_eq!(boxed(&["1", "z"]).unwrap_err().to_string(), "invalid digit found in string");
}
