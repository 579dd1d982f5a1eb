use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(results: &[Result<(), String>]) -> Result<Option<String>, String> {
    let mut last_error = None;
    for result in results {
        if let Some(last_error) = result.as_ref().err() {
            println!("failed: {last_error}");
        }
        last_error = result.clone().err();
    }
    Ok(last_error)
}

fn main() {}
