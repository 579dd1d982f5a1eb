// `impl Trait` as the input, as an argument, and in the return type.
use failfast::fail_fast;
use std::fmt::Display;

fn evens(values: &[u32]) -> impl Iterator<Item = &u32> + '_ {
    values.iter().filter(|v| *v % 2 == 0)
}

#[fail_fast(workers = 2)]
fn check_evens(values: &[u32]) -> Result<impl Display, String> {
    for v in evens(values) {
        if *v > 100 {
            return Err(format!("{v} is too big"));
        }
    }
    Ok("all small")
}

#[fail_fast(workers = 2)]
fn check_any(values: impl IntoIterator<Item = u32>) -> Result<(), String> {
    for v in values {
        if v == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(check_evens(&[2, 4]).unwrap().to_string(), "all small");
    assert!(check_any(vec![1, 2]).is_ok());
}
