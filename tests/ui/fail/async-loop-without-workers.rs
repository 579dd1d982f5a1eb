use failfast::fail_fast;

async fn fetch(_url: &str) -> Result<(), String> {
    Ok(())
}

#[fail_fast]
async fn fetch_all(urls: Vec<String>) -> Result<(), String> {
    for url in urls {
        fetch(&url).await?;
    }
    Ok(())
}

fn main() {}
