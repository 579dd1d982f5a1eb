// A function parameter the body calls, of a generic or `impl Trait` type with no `Sync`
// bound: the iterations call it from several threads at once. The loop's own message, at
// `for`, with rustc's help to add `+ Sync`; no closure of the rewrite and no runtime line.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn all_match<F>(items: &[u32], pred: F) -> Result<(), u32>
where
    F: Fn(u32) -> bool,
{
    for &x in items {
        if !pred(x) {
            return Err(x);
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn count_valid(items: &[&str], is_ok: impl Fn(&str) -> bool) -> Result<(), String> {
    for s in items {
        if !is_ok(s) {
            return Err(s.to_string());
        }
    }
    Ok(())
}

fn main() {
    let _ = all_match(&[2, 4], |x| x % 2 == 0);
    let _ = count_valid(&["a"], |s| !s.is_empty());
}
