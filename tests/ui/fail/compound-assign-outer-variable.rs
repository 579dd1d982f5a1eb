use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn total(items: &[u64]) -> Result<u64, String> {
    let mut total = 0;
    for &item in items {
        total += item;
    }
    Ok(total)
}

fn main() {}
