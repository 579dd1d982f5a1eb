// Outer attributes of a marked loop apply to the whole rewritten loop.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn run(items: &[u32]) -> Result<u32, String> {
    #[cfg(any())]
    #[fail_fast]
    for item in items {
        Err(format!("compiled out, never runs: {item}"))?;
    }
    #[allow(unused_variables)]
    #[fail_fast]
    for item in items {
        let unused = item;
    }
    Ok(items.len() as u32)
}

fn main() {
    assert_eq!(run(&[1, 2]), Ok(2));
}
