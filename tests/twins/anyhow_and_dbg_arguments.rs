// Variables from outside the body in `anyhow`'s macros (inline in the message and as
// arguments), `write!` into a local buffer, and `dbg!`.
use failfast::fail_fast;
use std::fmt::Write;

#[fail_fast(workers = 4)]
fn check(items: &[u32], limit: u32) -> anyhow::Result<()> {
    let unit = String::from("ms");
    for &item in items {
        anyhow::ensure!(item != 13, "{item}{unit} is unlucky");
        if item > limit {
            anyhow::bail!("{item}{unit} is over {}", limit);
        }
        let mut line = String::new();
        write!(line, "{item}{unit}")?;
        dbg!(&unit);
    }
    Ok(())
}

fn main() {
    assert!(check(&[1, 2], 5).is_ok());
    assert!(check(&[13], 50).is_err());
    assert!(check(&[9], 5).is_err());
}
