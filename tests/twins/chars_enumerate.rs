// `enumerate` over the characters of a string.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn check_ascii(text: &str) -> Result<(), String> {
    for (i, c) in text.chars().enumerate() {
        if !c.is_ascii() {
            return Err(format!("character {i} is not ASCII: {c}"));
        }
    }
    Ok(())
}

fn main() {
    assert!(check_ascii("abc").is_ok());
}
