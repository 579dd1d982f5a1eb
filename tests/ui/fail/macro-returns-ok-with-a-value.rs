// A macro in the body that expands to `return Ok(Some(..))`, in a thread loop and in an async
// loop: refused in the loop's terms, at `for` and at the macro call, and never in terms of the
// runtime's types (the async loop's future once also reported it as a bound of one of them).
use failfast::fail_fast;

macro_rules! found_if {
    ($condition:expr, $value:expr) => {
        if $condition {
            return Ok(Some($value));
        }
    };
}

#[fail_fast(workers = 4)]
fn find(items: &[u32]) -> Result<Option<u32>, String> {
    for &item in items {
        if item > 100 {
            Err(format!("{item} is too big"))?;
        }
        found_if!(item == 7, item);
    }
    Ok(None)
}

async fn fetch(item: u32) -> Result<u32, String> {
    Ok(item)
}

#[fail_fast(workers = 4)]
async fn find_async(items: &[u32]) -> Result<Option<u32>, String> {
    for &item in items {
        let item = fetch(item).await?;
        found_if!(item == 7, item);
    }
    Ok(None)
}

fn main() {
    let _ = find(&[1, 2, 7]);
    let _ = find_async(&[1, 2, 7]);
}
