// `anyhow::Result` works, and `bail!` (a `return Err(..)` inside a macro) fails the loop
// exactly like `?`: macros in the body are not looked into.
use anyhow::{bail, Context};
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(sizes: &[&str]) -> anyhow::Result<()> {
    for size in sizes {
        let size: u64 = size.parse().with_context(|| format!("size {size:?}"))?;
        if size > 100 {
            bail!("{size} is too big");
        }
    }
    Ok(())
}

fn main() {
    assert!(check(&["1", "2"]).is_ok());
    assert_eq!(check(&["1", "200"]).unwrap_err().to_string(), "200 is too big");
    assert_eq!(check(&["x"]).unwrap_err().to_string(), "size \"x\"");
}
