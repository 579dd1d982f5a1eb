// A generic function draining any iterator of `Send` items.
use failfast::fail_fast;
use std::fmt::Display;

#[fail_fast(workers = 2)]
fn print_all<I, T>(items: I) -> Result<(), String>
where
    I: Iterator<Item = T>,
    T: Display + Send,
{
    let mut items = items;
    while let Some(item) = items.next() {
        let text = item.to_string();
        if text.is_empty() {
            return Err("an empty item".into());
        }
    }
    Ok(())
}

fn main() {
    assert!(print_all(vec![1, 2, 3].into_iter()).is_ok());
    assert!(print_all(vec![String::new()].into_iter()).is_err());
}
