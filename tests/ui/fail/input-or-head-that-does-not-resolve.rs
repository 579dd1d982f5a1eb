use failfast::fail_fast;

// A typo in the input or in a `while let` head: rustc's own error alone, nothing of the
// loop's checks, which have no type to read.
#[fail_fast(workers = 4)]
fn drain(mut queue: Vec<u32>) -> Result<u32, String> {
    while let Some(x) = queu.pop() {
        if x > 10 {
            return Ok(x);
        }
    }
    queue.clear();
    Ok(0)
}

#[fail_fast(workers = 4)]
fn first_big(items: Vec<(u32, String)>) -> Result<u32, String> {
    for (x, name) in itemz {
        if x > 10 && !name.is_empty() {
            return Ok(x);
        }
    }
    drop(items);
    Ok(0)
}

#[fail_fast(workers = 4)]
async fn fetch_all(pages: Vec<u32>) -> Result<u32, String> {
    while let Some(x) = pagez.pop() {
        std::future::ready(()).await;
        if x > 10 {
            return Ok(x);
        }
    }
    drop(pages);
    Ok(0)
}

fn main() {}
