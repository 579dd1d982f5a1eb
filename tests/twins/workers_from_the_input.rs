// A `workers` expression that reads the input the loop then moves: it is evaluated first.
use failfast::fail_fast;

#[fail_fast(workers = jobs.len().clamp(1, 8))]
fn run(jobs: Vec<String>) -> Result<(), String> {
    for job in jobs {
        if job.is_empty() {
            return Err("an empty job".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = urls.len().max(1))]
async fn fetch(urls: Vec<String>) -> Result<usize, String> {
    for url in urls {
        std::future::ready(()).await;
        if url.is_empty() {
            return Err("an empty url".into());
        }
    }
    Ok(0)
}

fn main() {
    assert!(run(vec!["a".into(), String::new()]).is_err());
    assert!(run(Vec::new()).is_ok());
    assert!(futures::executor::block_on(fetch(vec!["u".into()])).is_ok());
}
