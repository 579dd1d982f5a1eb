// An async block holding a marked loop that awaits.
use failfast::fail_fast;

async fn fetch(n: u32) -> Result<u32, String> {
    Ok(n * 2)
}

#[fail_fast(workers = 4)]
fn run(items: Vec<u32>) -> Result<(), String> {
    let job = async {
        #[fail_fast(workers = 4)]
        for n in items {
            fetch(n).await?;
        }
        Ok::<(), String>(())
    };
    futures::executor::block_on(job)
}

fn main() {
    assert!(run(vec![1, 2]).is_ok());
}
