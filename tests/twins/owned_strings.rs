// A `Vec<String>` taken by value, its items moved into the iterations.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn shout(names: Vec<String>) -> Result<(), String> {
    for name in names {
        let loud = name.to_uppercase();
        if loud.is_empty() {
            return Err(name);
        }
    }
    Ok(())
}

fn main() {
    assert!(shout(vec!["a".into()]).is_ok());
}
