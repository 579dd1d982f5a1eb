use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn scan(items: &[i32]) -> Result<(), String> {
    'items: for &item in items {
        for _ in 0..item {
            break 'items;
        }
    }
    Ok(())
}

fn main() {}
