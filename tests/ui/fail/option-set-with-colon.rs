use failfast::fail_fast;

// Written as a struct literal's field: one error, at the option, saying how to write it.
#[fail_fast(workers: 4)]
fn check(items: &[i32]) -> Result<(), String> {
    for _item in items {}
    Ok(())
}

fn main() {}
