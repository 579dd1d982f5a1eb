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

#[fail_fast(workers = 4)]
fn report_by_reference(names: &[&str]) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    for name in names {
        write!(&mut out, "{name}, ")?;
    }
    Ok(out)
}

fn main() {}
