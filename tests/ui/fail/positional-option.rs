use failfast::fail_fast;

#[fail_fast(8)]
fn check(items: &[i32]) -> Result<(), String> {
    for _item in items {}
    Ok(())
}

fn main() {}
