// An async loop's iterations stay on the awaiting task: `Box<dyn Error>` (not `Send`) is fine
// there, where a thread loop refuses it.
use failfast::fail_fast;
use std::error::Error;

async fn parse(text: &str) -> Result<u32, Box<dyn Error>> {
    Ok(text.parse()?)
}

#[fail_fast(workers = 4)]
async fn parse_all(texts: &[&str]) -> Result<(), Box<dyn Error>> {
    for text in texts {
        parse(text).await?;
    }
    Ok(())
}

fn main() {
    assert!(futures::executor::block_on(parse_all(&["1", "2"])).is_ok());
    assert!(futures::executor::block_on(parse_all(&["1", "x"])).is_err());
}
