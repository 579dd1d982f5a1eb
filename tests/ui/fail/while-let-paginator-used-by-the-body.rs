// A paginator's `next_page(&mut self)` in the head, and the same client used by the body: the
// head runs while iterations run. The loop's data-race message at the body's use, not rustc's
// borrow error about a closure or a coroutine the user did not write.
use failfast::fail_fast;

struct Client {
    page: u32,
}

impl Client {
    fn next_page(&mut self) -> Result<Option<Vec<u32>>, String> {
        self.page += 1;
        Ok((self.page < 3).then(|| vec![self.page]))
    }

    fn fetch(&self, id: u32) -> Result<u32, String> {
        Ok(id)
    }

    #[fail_fast(workers = 4)]
    fn fetch_all(&mut self) -> Result<(), String> {
        while let Some(page) = self.next_page()? {
            for id in page {
                self.fetch(id)?;
            }
        }
        Ok(())
    }
}

#[fail_fast(workers = 4)]
fn pages(client: &mut Client) -> Result<(), String> {
    while let Some(page) = client.next_page()? {
        for id in page {
            client.fetch(id)?;
        }
    }
    Ok(())
}

struct Remote {
    jobs: Vec<u32>,
}

impl Remote {
    async fn pop_job(&mut self) -> Option<u32> {
        self.jobs.pop()
    }

    async fn report(&self, job: u32) -> Result<(), String> {
        if job > 10 {
            return Err(format!("job {job}"));
        }
        Ok(())
    }
}

#[fail_fast(workers = 4)]
async fn drain(remote: &mut Remote) -> Result<(), String> {
    while let Some(job) = remote.pop_job().await {
        remote.report(job).await?;
    }
    Ok(())
}

fn main() {
    let _ = pages(&mut Client { page: 0 });
    let _ = Client { page: 0 }.fetch_all();
    let _ = drain(&mut Remote { jobs: vec![1] });
}
