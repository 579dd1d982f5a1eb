use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn find(items: &[i32], wanted: i32) -> Result<bool, String> {
    for &item in items {
        if item == wanted {
            return Ok(true);
        }
        if item > wanted {
            break;
        }
    }
    Ok(false)
}

fn main() {}
