use failfast::fail_fast;
use std::io::Write;

// A writer declared outside the loop, written to by every iteration.
#[fail_fast(workers = 4)]
fn save(lines: &[String], path: &std::path::Path) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    for line in lines {
        file.write_all(line.as_bytes())?;
    }
    file.flush()
}

// An iterator declared outside the loop, drawn from by every iteration.
#[fail_fast(workers = 4)]
fn numbered(names: &[&str]) -> Result<(), String> {
    let mut ids = 1..;
    for name in names {
        let id = ids.next().ok_or("no ids left")?;
        println!("{id}: {name}");
    }
    Ok(())
}

fn main() {}
