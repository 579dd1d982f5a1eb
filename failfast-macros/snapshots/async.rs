#[fail_fast(workers = 8)]
async fn fetch_all(urls: &[String], client: &Client) -> Result<(), String> {
    for url in urls {
        let length = client.get(url).await?;
        if length == 0 {
            return Err("an empty url".into());
        }
    }
    Ok(())
}
