use failfast::fail_fast;

// A `return` whose value borrows a local of the iteration is refused as the sequential
// loop's is, and the error is at that `return`, not spread over the loop from `for` on.
#[fail_fast(workers = 4)]
fn first_label(ids: &[u32]) -> Result<&str, String> {
    for id in ids {
        let label = id.to_string();
        if *id == 3 {
            return Ok(&label);
        }
    }
    Err("none".into())
}

#[fail_fast(workers = 4)]
async fn first_name(ids: &[u32]) -> Result<&str, String> {
    for id in ids {
        let name = format!("user-{id}");
        std::future::ready(()).await;
        if *id == 3 {
            return Ok(&name);
        }
    }
    Err("none".into())
}

fn main() {}
