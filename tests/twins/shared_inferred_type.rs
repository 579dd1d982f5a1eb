// Variables whose types are inferred from the loop's body, after the loop's check of them.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn within(items: &[u32], text: &str) -> Result<u64, String> {
    let limit = text.parse().map_err(|_| "not a number".to_string())?;
    let scale = Default::default();
    for x in items {
        if *x > limit {
            Err(format!("{x} > {limit}"))?;
        }
        let _: u64 = scale;
    }
    Ok(scale)
}

fn main() {
    assert_eq!(within(&[1, 5], "5"), Ok(0));
    assert!(within(&[6], "5").is_err());
}
