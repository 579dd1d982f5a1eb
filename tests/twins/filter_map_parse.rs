// A `filter_map` whose closure captures nothing.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn small_numbers(words: &[&str]) -> Result<(), String> {
    for n in words.iter().filter_map(|w| w.parse::<u32>().ok()) {
        if n > 1_000 {
            return Err(format!("{n} is big"));
        }
    }
    Ok(())
}

fn main() {
    assert!(small_numbers(&["1", "x"]).is_ok());
}
