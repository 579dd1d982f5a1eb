// A `return` that moves values declared before the loop, in shapes a second reader found:
// a `Copy` value borrowed across the loop, a `let` under `#[cfg]`, a raw identifier, two
// values moved by returns in different orders.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn borrowed_across(items: &[u32]) -> Result<u32, String> {
    let mut best = 0;
    best += u32::try_from(items.len()).unwrap();
    let view = &best;
    for i in items {
        if *i == 0 {
            return Ok(best);
        }
    }
    Ok(*view)
}

#[fail_fast(workers = 2)]
fn under_cfg(items: &[u32]) -> Result<u32, String> {
    let n: u32 = 5;
    #[cfg(any())]
    let mut n: u32 = 6;
    for i in items {
        if *i == 0 {
            return Ok(n);
        }
    }
    Ok(1)
}

#[fail_fast(workers = 2)]
fn raw(items: &[u32], r#type: String) -> Result<String, String> {
    for i in items {
        if *i == 0 {
            return Ok(r#type);
        }
    }
    Ok(String::new())
}

fn pair(first: String, second: String) -> (String, String) {
    (first, second)
}

#[fail_fast(workers = 2)]
fn two(items: &[u32], a: String, b: String) -> Result<(String, String), String> {
    for i in items {
        if *i == 0 {
            return Ok(pair(a, b));
        }
        if *i == 1 {
            return Ok(pair(b, a));
        }
    }
    Ok((a, b))
}

fn main() {
    assert_eq!(borrowed_across(&[1, 2]), Ok(2));
    assert_eq!(under_cfg(&[1, 0]), Ok(5));
    assert_eq!(raw(&[0], "t".into()), Ok("t".into()));
    assert!(two(&[0, 1], "a".into(), "b".into()).is_ok());
}
