// A `workers` literal with the suffix of another integer type than `usize`: the macro's own
// error at the literal (rustc's would point into the runtime's signature).
use failfast::fail_fast;

#[fail_fast(workers = 4u32)]
fn check(items: &[u32]) -> Result<(), String> {
    for item in items {
        if *item > 10 {
            return Err(format!("{item} is over 10"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2_i32)]
async fn fetch_all(items: Vec<u32>) -> Result<(), String> {
    for item in items {
        std::future::ready(item).await;
    }
    Ok(())
}

#[fail_fast(workers = 8usize)]
fn fine(items: &[u32]) -> Result<(), String> {
    for item in items {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
