// A helper macro that ends an iteration with `continue`.
use failfast::fail_fast;

macro_rules! skip_blank {
    ($line:expr) => {
        if $line.trim().is_empty() {
            continue;
        }
    };
}

#[fail_fast(workers = 4)]
fn check_lines(lines: &[&str]) -> Result<(), String> {
    for line in lines {
        skip_blank!(line);
        if !line.starts_with('#') {
            return Err(format!("{line:?} is not a heading"));
        }
    }
    Ok(())
}

fn main() {
    assert!(check_lines(&["# a", " ", "# b"]).is_ok());
    assert!(check_lines(&["# a", "b"]).is_err());
}
