use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(items: &[i32]) -> Result<(), String> {
    for &item in items {
        if item < 0 {
            return Err(format!("{item} is negative"));
        }
    }
    Ok(())
}

fn main() {}
