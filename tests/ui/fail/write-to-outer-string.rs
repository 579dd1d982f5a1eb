use failfast::fail_fast;
use std::fmt::Write;

#[fail_fast(workers = 4)]
fn report(names: &[&str]) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    for name in names {
        writeln!(out, "{name}")?;
    }
    Ok(out)
}

fn main() {}
