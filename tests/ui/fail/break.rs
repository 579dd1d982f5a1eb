use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_negative(items: &[i32]) -> Result<(), String> {
    for &item in items {
        if item < 0 {
            break;
        }
    }
    Ok(())
}

fn main() {}
