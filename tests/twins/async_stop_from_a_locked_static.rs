// An async loop whose `stop` option reads the token through a lock's guard, and whose body
// takes the same lock: the guard lives only while the loop starts, as the option is read once,
// so the body does not deadlock and the spawned future is `Send`.
use failfast::{fail_fast, StopToken, Stopped};
use std::sync::Mutex;

static TOKEN: Mutex<Option<StopToken>> = Mutex::new(None);

#[fail_fast(workers = 4, stop = TOKEN.lock().unwrap().as_ref().unwrap())]
async fn count(items: Vec<u32>) -> Result<u32, Stopped> {
    for x in items {
        let held = TOKEN.try_lock().is_err();
        assert!(!held, "the stop option's guard is still held at item {x}");
        tokio::task::yield_now().await;
    }
    Ok(1)
}

#[tokio::main]
async fn main() {
    *TOKEN.lock().unwrap() = Some(StopToken::new());
    let counted = tokio::spawn(count(vec![1, 2, 3])).await.unwrap();
    assert_eq!(counted, Ok(1));
}
