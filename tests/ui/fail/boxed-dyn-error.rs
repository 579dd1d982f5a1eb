use failfast::fail_fast;
use std::error::Error;

#[fail_fast(workers = 4)]
fn parse_all(lines: &[&str]) -> Result<(), Box<dyn Error>> {
    for line in lines {
        let _: u32 = line.parse()?;
    }
    Ok(())
}

fn main() {}
