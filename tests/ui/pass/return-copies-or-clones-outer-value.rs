use failfast::fail_fast;

// A `return` may copy a `Copy` value declared outside the loop (a number, a reference), or
// return a clone of any other; a value only borrowed by the `return` (formatted) stays put.
#[fail_fast(workers = 2)]
fn first_over<'a>(sizes: &[u64], limit: u64, label: &'a str) -> Result<(), (u64, &'a str)> {
    for size in sizes {
        if *size > limit {
            return Err((limit, label));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn first_empty(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        if name.is_empty() {
            return Ok(fallback.clone());
        }
        if name == "?" {
            return Err(format!("{fallback}: a question"));
        }
    }
    Ok(fallback)
}

// A `Copy` value whose type only a line after the loop gives: the `?` copies it, and the
// line after the loop still types it.
#[fail_fast(workers = 2)]
fn first_over_default(sizes: &[u64]) -> Result<u64, u64> {
    let limit = Default::default();
    for &size in sizes {
        if size > 100 {
            Err(limit)?;
        }
    }
    let limit: u64 = limit;
    Ok(limit)
}

fn main() {
    assert_eq!(first_over_default(&[1, 2]), Ok(0));
    assert_eq!(first_over_default(&[1, 200]), Err(0));
    assert_eq!(first_over(&[1, 2], 5, "sizes"), Ok(()));
    assert_eq!(first_over(&[1, 9], 5, "sizes"), Err((5, "sizes")));
    let names = ["a".to_string(), String::new()];
    assert_eq!(first_empty(&names, "none".into()), Ok("none".to_string()));
    assert_eq!(first_empty(&names[..1], "all".into()), Ok("all".to_string()));
}
