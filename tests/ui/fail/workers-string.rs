use failfast::fail_fast;

#[fail_fast(workers = "8")]
fn check(items: &[i32]) -> Result<(), String> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
