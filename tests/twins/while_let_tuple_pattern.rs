// A tuple pattern with a reference, from an `enumerate`d iterator advanced by hand.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_empty(names: &[String]) -> Option<usize> {
    let mut named = names.iter().enumerate();
    while let Some((i, name)) = named.next() {
        if name.is_empty() {
            return Some(i);
        }
    }
    None
}

fn main() {
    assert_eq!(first_empty(&["a".into(), String::new()]), Some(1));
    assert_eq!(first_empty(&["a".into()]), None);
}
