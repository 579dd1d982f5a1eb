use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn apply(items: &[i32]) -> Result<(), String> {
    let check = #[fail_fast] |item: &i32| item > &0;
    for item in items {
        check(item);
    }
    Ok(())
}

fn main() {}
