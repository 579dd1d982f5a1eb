use failfast::fail_fast;

#[fail_fast(workers = 4)]
struct Downloader {
    workers: usize,
}

fn main() {}
