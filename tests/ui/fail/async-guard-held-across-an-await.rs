// An async loop's iteration holds a guard of a cell or a lock that the iterations share
// across an `.await`: the others run there, and the next one to take it panics (`RefCell`)
// or waits for ever on the thread that would release it (`std::sync::Mutex`). The sequential
// loop ran; the parallel one would fail at run time, so the macro refuses it at the guard.
use failfast::fail_fast;
use std::cell::RefCell;
use std::sync::Mutex;

async fn size(url: &str) -> Result<usize, String> {
    tokio::task::yield_now().await;
    Ok(url.len())
}

#[fail_fast(workers = 4)]
async fn cached(urls: Vec<String>, cache: &RefCell<Vec<usize>>) -> Result<(), String> {
    for url in urls {
        let mut entries = cache.borrow_mut();
        let n = size(&url).await?;
        entries.push(n);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn counted(urls: Vec<String>, total: &Mutex<usize>) -> Result<(), String> {
    for url in urls {
        let mut sum = total.lock().unwrap();
        *sum += size(&url).await?;
    }
    Ok(())
}

fn main() {
    let _ = cached(Vec::new(), &RefCell::new(Vec::new()));
    let _ = counted(Vec::new(), &Mutex::new(0));
}
