use failfast::fail_fast;

// A `for` pattern that does not match every item is refused as the sequential loop's is.
#[fail_fast(workers = 4)]
fn sizes(entries: &[Option<u64>]) -> Result<(), String> {
    for Some(size) in entries {
        println!("{size}");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn fetch(urls: Vec<Result<String, String>>) -> Result<(), String> {
    for Ok(url) in urls {
        std::future::ready(()).await;
        println!("{url}");
    }
    Ok(())
}

fn main() {}
