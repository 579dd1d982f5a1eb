#[fail_fast(workers = 4)]
fn consume(jobs: &Receiver<Job>) -> Result<(), Error> {
    while let Ok(job) = jobs.recv() {
        job.run()?;
    }
    Ok(())
}

#[fail_fast(workers = 8)]
async fn download_bucket(keys: &mut Keys, client: &Client) -> Result<(), Error> {
    while let Some(Key { name, .. }) = keys.try_next().await? {
        client.download(&name).await?;
    }
    Ok(())
}
