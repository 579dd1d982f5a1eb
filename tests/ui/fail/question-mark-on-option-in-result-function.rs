// `?` on an `Option` in a loop of a function that returns a `Result` (and the other way
// round): refused as in the sequential loop, with rustc's help naming the function's own
// type, not the iterations' (no `ControlFlow`).
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_of_each(groups: &[Vec<u32>]) -> Result<(), String> {
    for group in groups {
        let first = group.first()?;
        if *first > 99 {
            Err(format!("{first} is too big"))?;
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn all_numbers(words: &[&str]) -> Option<()> {
    for word in words {
        let _: u32 = word.parse()?;
    }
    Some(())
}

fn main() {
    let _ = first_of_each(&[]);
    let _ = all_numbers(&[]);
}
