use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn last(items: &[i32]) -> Result<i32, String> {
    let mut last = 0;
    for &item in items {
        last = item;
    }
    Ok(last)
}

fn main() {}
