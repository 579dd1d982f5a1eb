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

// A length of time where a point in time is asked: the macro's message names the option that
// takes it.
#[fail_fast(workers = 4, deadline = Duration::from_secs(60))]
fn check_before(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

// And a point in time where a length is asked.
#[fail_fast(workers = 4, timeout = std::time::Instant::now() + Duration::from_secs(60))]
fn check_within(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

// A length of time that is not visibly one: rustc's type error, at the value.
#[fail_fast(workers = 4, deadline = Duration::ZERO)]
fn check_now(items: &[u32]) -> std::io::Result<()> {
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

// A length written as text, as a config file gives it: the macro's own message.
#[fail_fast(workers = 4, timeout = "30s")]
fn check_in_time(items: &[u32]) -> std::io::Result<()> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
