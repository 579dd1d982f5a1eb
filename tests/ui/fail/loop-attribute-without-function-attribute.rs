use failfast::fail_fast;

fn check(items: &[i32]) -> Result<(), String> {
    #[fail_fast(workers = 4)]
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
