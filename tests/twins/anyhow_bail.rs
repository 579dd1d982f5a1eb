// anyhow's `bail!` and `Context` in the body.
use anyhow::{bail, Context};
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn check(paths: &[&str]) -> anyhow::Result<()> {
    for path in paths {
        if path.is_empty() {
            bail!("an empty path");
        }
        let _: u32 = path.parse().with_context(|| format!("{path} is not a number"))?;
    }
    Ok(())
}

fn main() {
    assert!(check(&["1"]).is_ok());
}
