use failfast::fail_fast;

// A `for` pattern that does not fit the input's items (`.enumerate()` forgotten) gets rustc's
// "mismatched types" at the pattern, with the item's own type, once: the rewrite checks the
// pattern's parts for `Send` before the loop, and that check must not repeat the error.
#[fail_fast(workers = 4)]
fn owned(lines: Vec<String>) -> Result<(), String> {
    for (number, line) in lines {
        println!("{number}: {line}");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn borrowed(sizes: &[u64]) -> Result<(), String> {
    for (index, size) in sizes.iter() {
        println!("{index}: {size}");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn nested(pairs: Vec<(u32, u32)>) -> Result<(), String> {
    for (a, (b, c)) in pairs {
        println!("{a} {b} {c}");
    }
    Ok(())
}

async fn check(x: u32) -> Result<(), String> {
    match x {
        0 => Err("zero".into()),
        _ => Ok(()),
    }
}

#[fail_fast(workers = 4)]
async fn fetch(ids: Vec<u32>) -> Result<(), String> {
    for (i, id) in ids {
        check(i + id).await?;
    }
    Ok(())
}

fn main() {}
