//! `stop`, `timeout` and `deadline` compile on thread loops (each return type) and `stop` on
//! async loops, and a loop that is never stopped behaves as without them.
use failfast::{fail_fast, StopToken, Stopped};
use std::time::{Duration, Instant};

#[fail_fast(workers = 4, stop = stop, timeout = Duration::from_secs(90))]
fn parse_all(lines: &[&str], stop: &StopToken) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for line in lines {
        line.parse::<u32>()?;
    }
    Ok(())
}

#[fail_fast(workers = 2, deadline = deadline)]
fn find(keys: &[u32], deadline: Instant) -> Option<u32> {
    for &key in keys {
        if key == 3 {
            return Some(key);
        }
    }
    None
}

#[fail_fast(workers = 2, stop = token)]
fn visit(keys: &[u32], token: StopToken) {
    for &key in keys {
        assert!(key < 10);
    }
}

#[fail_fast(workers = 8, stop = &stop)]
async fn fetch_all(ids: &[u32], stop: StopToken) -> Result<u32, Stopped> {
    for &id in ids {
        std::future::ready(id).await;
    }
    Ok(ids.len() as u32)
}

/// A server's token, shared through an `Arc`: `stop = &self.shutdown` and `stop = &stop`
/// take it as the `&StopToken` it coerces to.
struct Server {
    shutdown: std::sync::Arc<StopToken>,
}

impl Server {
    #[fail_fast(workers = 2, stop = &self.shutdown)]
    fn handle(&self, requests: &[u32]) -> Result<(), Stopped> {
        for &request in requests {
            assert!(request < 10);
        }
        Ok(())
    }
}

#[fail_fast(workers = 2, stop = &stop)]
async fn drain(ids: &[u32], stop: std::rc::Rc<StopToken>) -> Option<u32> {
    for &id in ids {
        std::future::ready(id).await;
    }
    Some(ids.len() as u32)
}

/// A process-wide token in a `static`.
static SHUTDOWN: std::sync::LazyLock<StopToken> = std::sync::LazyLock::new(StopToken::new);

#[fail_fast(workers = 2, stop = &SHUTDOWN)]
fn until_shutdown(ids: &[u32]) -> Result<usize, Stopped> {
    for &id in ids {
        assert!(id < 10);
    }
    Ok(ids.len())
}

fn main() {
    assert_eq!(until_shutdown(&[1, 2]), Ok(2));
    let server = Server {
        shutdown: std::sync::Arc::new(StopToken::new()),
    };
    assert_eq!(server.handle(&[1, 2]), Ok(()));
    server.shutdown.stop();
    assert_eq!(server.handle(&[1, 2]), Err(Stopped::by_token()));
    let token = std::rc::Rc::new(StopToken::new());
    assert_eq!(futures::executor::block_on(drain(&[1, 2], token.clone())), Some(2));
    token.stop();
    assert_eq!(futures::executor::block_on(drain(&[1, 2], token)), None);
    let stop = StopToken::new();
    assert!(parse_all(&["1", "2"], &stop).is_ok());
    assert!(parse_all(&["1", "x"], &stop).is_err());
    assert_eq!(find(&[1, 2, 3], Instant::now() + Duration::from_secs(60)), Some(3));
    visit(&[1, 2], StopToken::new());
    assert_eq!(futures::executor::block_on(fetch_all(&[1, 2], StopToken::new())), Ok(2));
    stop.stop();
    let stopped = parse_all(&["1"], &stop).unwrap_err();
    assert_eq!(stopped.downcast_ref::<Stopped>(), Some(&Stopped::by_token()));
}
