// Jobs popped off a `Vec` that the body does not touch.
use failfast::fail_fast;

fn check(job: &str) -> Result<(), String> {
    if job.is_empty() {
        Err("an empty job".into())
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 3)]
fn run(mut jobs: Vec<String>) -> Result<(), String> {
    while let Some(job) = jobs.pop() {
        check(&job)?;
    }
    Ok(())
}

fn main() {
    assert!(run(vec!["a".into(), "b".into()]).is_ok());
    assert!(run(vec!["a".into(), String::new()]).is_err());
}
