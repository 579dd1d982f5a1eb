// A while-let loop takes the same options as a for loop: the thread loop's settings go to
// `while_let_with` as one `Loop`, the async driver is stopped by the token, and a stopped
// loop leaves through `FromStopped`.
#[fail_fast(workers = 4, stop = token, deadline = until)]
fn consume(jobs: &Receiver<Job>, token: &StopToken, until: Instant) -> Result<(), Error> {
    while let Ok(job) = jobs.recv() {
        job.run()?;
    }
    Ok(())
}

#[fail_fast(workers = 8, stop = token)]
async fn download_bucket(keys: &mut Keys, token: &StopToken, client: &Client) -> Option<()> {
    while let Some(key) = keys.next().await {
        client.download(&key).await?;
    }
    Some(())
}
