// With no `?` in the loop, the function may return any type: only `return` ends the loop.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn index_of(haystack: &[u32], needle: u32) -> usize {
    for (index, &value) in haystack.iter().enumerate() {
        if value == needle {
            return index;
        }
    }
    usize::MAX
}

fn main() {
    assert_eq!(index_of(&[5, 6, 7], 7), 2);
    assert_eq!(index_of(&[5, 6, 7], 8), usize::MAX);
}
