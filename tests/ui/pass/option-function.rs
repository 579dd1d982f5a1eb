// A function returning `Option`: `None?` in the body fails the loop and the function.
use failfast::fail_fast;

#[fail_fast(workers = 3)]
fn all_present(keys: &[usize], table: &[Option<u32>]) -> Option<usize> {
    for &key in keys {
        table.get(key)?.as_ref()?;
    }
    Some(keys.len())
}

fn main() {
    let table = [Some(1), None, Some(3)];
    assert_eq!(all_present(&[0, 2], &table), Some(2));
    assert_eq!(all_present(&[0, 1, 2], &table), None);
    assert_eq!(all_present(&[0, 9], &table), None);
}
