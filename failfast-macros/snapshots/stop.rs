// `stop` and `timeout`: the settings go to the engine as one `Loop`; a stopped loop leaves
// through `FromStopped`, as `?` on `Err(Stopped)` would.
#[fail_fast(workers = 8, stop = stop, timeout = Duration::from_secs(600))]
fn download_all(names: &[String], stop: &StopToken, bucket: &Bucket) -> anyhow::Result<()> {
    for name in names {
        bucket.download(name)?;
    }
    Ok(())
}

#[fail_fast(workers = 50, stop = stop)]
async fn fetch_all(urls: &[String], stop: &StopToken, client: &Client) -> Option<()> {
    for url in urls {
        client.get(url).await?;
    }
    Some(())
}
