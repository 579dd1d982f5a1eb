use failfast::fail_fast;

fn record(log: &mut Vec<String>, line: &str) {
    log.push(line.to_string());
}

#[fail_fast(workers = 4)]
fn process(lines: &[&str]) -> Result<Vec<String>, String> {
    let mut log = Vec::new();
    for line in lines {
        record(&mut log, line);
    }
    Ok(log)
}

fn main() {}
