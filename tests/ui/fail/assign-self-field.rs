use failfast::fail_fast;

struct Downloader {
    downloaded: u64,
}

impl Downloader {
    #[fail_fast(workers = 4)]
    fn download_all(&mut self, sizes: &[u64]) -> Result<(), String> {
        for &size in sizes {
            self.downloaded += size;
        }
        Ok(())
    }
}

fn main() {}
