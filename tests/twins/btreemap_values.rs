// The values of a `BTreeMap`.
use failfast::fail_fast;
use std::collections::BTreeMap;

#[fail_fast(workers = 2)]
fn all_short(map: &BTreeMap<u32, String>) -> Result<(), String> {
    for value in map.values() {
        if value.len() > 10 {
            return Err(format!("{value} is long"));
        }
    }
    Ok(())
}

fn main() {
    assert!(all_short(&BTreeMap::from([(1, "a".to_string())])).is_ok());
}
