use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(items: &[i32]) -> Result<(), String> {
    for item in items {
        let x = ;
    }
    Ok(())
}

fn main() {}
