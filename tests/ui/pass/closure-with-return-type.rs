// A marked loop inside a closure whose return type is written out leaves the closure.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn outer() -> Result<(), String> {
    let validate = |names: &[&str]| -> Result<usize, String> {
        #[fail_fast]
        for name in names {
            if name.is_empty() {
                Err("empty name")?;
            }
        }
        Ok(names.len())
    };
    assert_eq!(validate(&["a", "b"]), Ok(2));
    assert_eq!(validate(&["a", ""]), Err("empty name".to_string()));
    Ok(())
}

fn main() {
    outer().unwrap();
}
