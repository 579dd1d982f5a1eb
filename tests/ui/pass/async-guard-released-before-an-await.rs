use failfast::fail_fast;
use std::cell::RefCell;
use std::sync::Mutex;
async fn get(url: &str) -> Result<usize, String> {
    tokio::task::yield_now().await;
    Ok(url.len())
}
// Guards in an async loop's body that no other iteration meets at an `.await`: one dropped
// before it, one of a cell the iteration made itself, one in a block of its own, a shared
// borrow, and a `tokio::sync::Mutex`'s, which is taken with `.await`.
#[fail_fast(workers = 4)]
async fn fine(
    urls: Vec<String>,
    cache: &RefCell<Vec<usize>>,
    total: &Mutex<usize>,
    tokio_total: &tokio::sync::Mutex<usize>,
) -> Result<usize, String> {
    for url in urls {
        let mut entries = cache.borrow_mut();
        entries.push(1);
        drop(entries);
        let own = RefCell::new(0);
        let mut mine = own.borrow_mut();
        let n = get(&url).await?;
        *mine += n;
        {
            let mut sum = total.lock().unwrap();
            *sum += n;
        }
        let seen = cache.borrow();
        let known = seen.len();
        drop(seen);
        let mut later = tokio_total.lock().await;
        *later += usize::from(known > 0);
        tokio::task::yield_now().await;
    }
    let summed = *total.lock().unwrap();
    Ok(summed)
}
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cache = RefCell::new(Vec::new());
    let total = Mutex::new(0);
    let tokio_total = tokio::sync::Mutex::new(0);
    let urls = vec!["a".into(), "bb".into()];
    assert_eq!(fine(urls, &cache, &total, &tokio_total).await, Ok(3));
    assert_eq!(cache.into_inner(), vec![1, 1]);
    assert_eq!(tokio_total.into_inner(), 2);
}
