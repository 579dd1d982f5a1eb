use failfast::fail_fast;

struct Crawler {
    pending: Vec<String>,
    fetched: usize,
}

impl Crawler {
    // The head pops `self.pending`; the body counts in `self.fetched`, another field: that is
    // the data race of any parallel loop (iterations add at once), not one with the head.
    #[fail_fast(workers = 4)]
    fn crawl(&mut self) -> Result<(), String> {
        while let Some(url) = self.pending.pop() {
            println!("{url}");
            self.fetched += 1;
        }
        Ok(())
    }

    // The body pushes to the field the head pops: the worklist race.
    #[fail_fast(workers = 4)]
    fn expand(&mut self) -> Result<(), String> {
        while let Some(url) = self.pending.pop() {
            if url.ends_with('/') {
                self.pending.push(format!("{url}index.html"));
            }
        }
        Ok(())
    }
}

fn main() {}
