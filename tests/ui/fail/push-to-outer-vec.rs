use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn collect(items: &[i32]) -> Result<Vec<i32>, String> {
    let mut doubled = Vec::new();
    for &item in items {
        doubled.push(item * 2);
    }
    Ok(doubled)
}

fn main() {}
