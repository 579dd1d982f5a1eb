// Generic functions, with lifetimes, returning borrowed data.
use failfast::fail_fast;
use std::fmt::Debug;

#[fail_fast(workers = 3)]
fn first_ok<'a, T, E>(items: &'a [T], check: impl Fn(&T) -> Result<(), E> + Sync) -> Result<&'a T, E>
where
    T: Sync + Debug,
    E: Send,
{
    for item in items {
        check(item)?;
    }
    Ok(&items[0])
}

fn main() {
    let words = ["apple", "banana"];
    assert_eq!(first_ok(&words, |w| if w.len() > 3 { Ok(()) } else { Err(w.len()) }), Ok(&"apple"));
    assert_eq!(first_ok(&words, |w| if w.len() > 5 { Ok(()) } else { Err(w.len()) }), Err(5));
}
