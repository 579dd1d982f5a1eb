// A search that returns the first match it finds.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn find(haystack: &[String], needle: &str) -> Result<Option<usize>, String> {
    for (i, hay) in haystack.iter().enumerate() {
        if hay == needle {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn main() {
    assert_eq!(find(&["a".into()], "a"), Ok(Some(0)));
}
