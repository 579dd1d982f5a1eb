use failfast::fail_fast;
use std::time::Duration;

// Seconds as a number, as a config file gives them: the macro's own message.
#[fail_fast(workers = 4, timeout = 5)]
fn check_all(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

// A length of time where a point in time is asked: rustc's type error, at the value.
#[fail_fast(workers = 4, deadline = Duration::from_secs(60))]
fn check_before(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

// Seconds with a fraction, for a deadline: the example uses them.
#[fail_fast(workers = 4, deadline = (2.5))]
fn check_soon(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
