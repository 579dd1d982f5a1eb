// A function returning `Option`, with `?` on options in the loop.
use failfast::fail_fast;
use std::collections::HashMap;

#[fail_fast(workers = 2)]
fn all_known(keys: &[&str], known: &HashMap<String, u32>) -> Option<()> {
    for key in keys {
        let value = known.get(*key)?;
        if *value == 0 {
            return None;
        }
    }
    Some(())
}

fn main() {
    let known = HashMap::from([("a".to_string(), 1)]);
    assert_eq!(all_known(&["a"], &known), Some(()));
}
