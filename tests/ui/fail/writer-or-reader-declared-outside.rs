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

// A reader declared outside the loop, read by every iteration.
#[fail_fast(workers = 4)]
fn echoed(names: &[&str], input: std::fs::File) -> std::io::Result<()> {
    use std::io::Read;
    let mut input = std::io::BufReader::new(input);
    for name in names {
        let mut text = String::new();
        input.read_to_string(&mut text)?;
        println!("{name}: {text}");
    }
    Ok(())
}

// A writer the function is lent, written to by every iteration.
#[fail_fast(workers = 4)]
fn listed(names: &[&str], out: &mut impl Write) -> std::io::Result<()> {
    for name in names {
        writeln!(out, "{name}")?;
    }
    Ok(())
}

fn main() {}
