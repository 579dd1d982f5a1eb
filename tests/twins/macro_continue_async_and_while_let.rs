// A helper macro that ends an iteration with `continue`, in an async loop and in `while let`
// loops (thread and async).
use failfast::fail_fast;
use std::sync::mpsc;

macro_rules! skip_blank {
    ($line:expr) => {
        if $line.trim().is_empty() {
            continue;
        }
    };
}

async fn check(line: &str) -> Result<(), String> {
    if line.starts_with('#') {
        Ok(())
    } else {
        Err(format!("{line:?} is not a heading"))
    }
}

#[fail_fast(workers = 4)]
async fn check_all(lines: &[&str]) -> Result<(), String> {
    for line in lines {
        skip_blank!(line);
        check(line).await?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn check_received(lines: mpsc::Receiver<String>) -> Result<(), String> {
    while let Ok(line) = lines.recv() {
        skip_blank!(line);
        if !line.starts_with('#') {
            return Err(format!("{line:?} is not a heading"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn check_each(lines: Vec<String>) -> Result<(), String> {
    let mut lines = lines.into_iter();
    while let Some(line) = lines.next() {
        skip_blank!(line);
        check(&line).await?;
    }
    Ok(())
}

fn main() {
    use futures::executor::block_on;
    assert!(block_on(check_all(&["# a", " ", "# b"])).is_ok());
    assert!(block_on(check_all(&["# a", " ", "b"])).is_err());
    let (tx, rx) = mpsc::channel();
    for line in ["# a", "", "# b"] {
        tx.send(line.to_string()).unwrap();
    }
    drop(tx);
    assert!(check_received(rx).is_ok());
    assert!(block_on(check_each(vec![" ".into(), "# a".into()])).is_ok());
    assert!(block_on(check_each(vec![" ".into(), "a".into()])).is_err());
}
