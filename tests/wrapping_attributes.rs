//! `#[fail_fast]` under an attribute that runs first and wraps the function's body in a block
//! of its own (`#[tracing::instrument]` in each of its forms, on an `async fn` or not;
//! `#[async_trait]` on an impl, alone or with instrument; `#[tokio::test]` and
//! `#[tokio::main]`) picks the loop the user wrote as the function's outermost one: the loop runs `workers` iterations at once and leaves the
//! function as it would have.
use failfast::fail_fast;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::task::Poll;

/// Lets iterations through in groups of `workers`: each waits until its whole group has
/// arrived, which only happens if `workers` run at once.
#[derive(Default)]
struct Gate {
    arrived: AtomicUsize,
    in_flight: AtomicUsize,
    most: AtomicUsize,
}

impl Gate {
    fn pass(&self, workers: usize) -> impl Future<Output = ()> + Send + '_ {
        let now = self.in_flight.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        let target = (self.arrived.fetch_add(1, SeqCst) + 1).div_ceil(workers) * workers;
        async move {
            futures::future::poll_fn(|cx| {
                if self.arrived.load(SeqCst) >= target {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
            .await;
            self.in_flight.fetch_sub(1, SeqCst);
        }
    }
}

#[tracing::instrument(skip_all)]
#[fail_fast(workers = 3)]
async fn instrumented(items: &[u32], gate: &Gate) -> Result<(), String> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            return Err("item 0".into());
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 3)]
async fn instrumented_err(items: &[u32], gate: &Gate) -> Result<(), String> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            Err(format!("item {item}"))?;
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, ret, err)]
#[fail_fast(workers = 3)]
async fn instrumented_ret_err(items: &[u32], gate: &Gate) -> Result<usize, String> {
    let total = AtomicUsize::new(0);
    for &item in items {
        gate.pass(3).await;
        total.fetch_add(item as usize, SeqCst);
    }
    Ok(total.into_inner())
}

#[tracing::instrument(skip_all, ret)]
#[fail_fast(workers = 3)]
async fn instrumented_ret(items: &[u32], gate: &Gate) -> Option<u32> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            return None;
        }
    }
    Some(1)
}

#[async_trait::async_trait]
trait Fetch {
    async fn fetch_all(&self, items: &[u32], gate: &Gate) -> Result<(), String>;
}

struct Client;

#[async_trait::async_trait]
impl Fetch for Client {
    #[fail_fast(workers = 3)]
    async fn fetch_all(&self, items: &[u32], gate: &Gate) -> Result<(), String> {
        for &item in items {
            gate.pass(3).await;
            if item == 0 {
                return Err("item 0".into());
            }
        }
        Ok(())
    }
}

/// A set that takes `&self`, as concurrent maps do.
#[derive(Default)]
struct Seen(std::sync::Mutex<Vec<u32>>);

impl Seen {
    fn insert(&self, item: u32) {
        self.0.lock().unwrap().push(item);
    }
}

#[async_trait::async_trait]
trait Crawl {
    async fn crawl(&mut self, items: &[u32], gate: &Gate) -> Result<(), String>;
    async fn crawl_traced(&self, items: &[u32], gate: &Gate) -> Result<(), String>;
    async fn visit(&self, items: &[u32], gate: &Gate);
}

struct Crawler {
    seen: Seen,
    visited: AtomicUsize,
}

#[async_trait::async_trait]
impl Crawl for Crawler {
    #[fail_fast(workers = 3)]
    async fn crawl(&mut self, items: &[u32], gate: &Gate) -> Result<(), String> {
        for &item in items {
            gate.pass(3).await;
            self.seen.insert(item);
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, err)]
    #[fail_fast(workers = 3)]
    async fn crawl_traced(&self, items: &[u32], gate: &Gate) -> Result<(), String> {
        for &item in items {
            gate.pass(3).await;
            if item == 0 {
                return Err("item 0".into());
            }
        }
        Ok(())
    }

    #[fail_fast(workers = 3)]
    async fn visit(&self, items: &[u32], gate: &Gate) {
        for &item in items {
            gate.pass(3).await;
            self.visited.fetch_add(item as usize, SeqCst);
        }
    }
}

/// Threads at once in a thread loop's iterations: each waits until `workers` are in.
fn meet(inside: &AtomicUsize, most: &AtomicUsize, workers: usize) {
    let now = inside.fetch_add(1, SeqCst) + 1;
    most.fetch_max(now, SeqCst);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while most.load(SeqCst) < workers {
        assert!(
            std::time::Instant::now() < deadline,
            "never {workers} at once"
        );
        std::thread::yield_now();
    }
    inside.fetch_sub(1, SeqCst);
}

#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 2)]
fn checked(items: &[u32], inside: &AtomicUsize, most: &AtomicUsize) -> Result<(), String> {
    for &item in items {
        meet(inside, most, 2);
        if item == 0 {
            return Err("item 0".into());
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, ret)]
#[fail_fast(workers = 2)]
fn summed(items: &[u32], inside: &AtomicUsize, most: &AtomicUsize) -> Option<usize> {
    let total = AtomicUsize::new(0);
    for &item in items {
        meet(inside, most, 2);
        total.fetch_add(item as usize, SeqCst);
    }
    Some(total.into_inner())
}

fn run<T>(future: impl Future<Output = T>) -> T {
    futures::executor::block_on(future)
}

#[test]
fn under_tracing_instrument_the_loop_runs_workers_at_once() {
    let items = [1; 12];
    let gate = Gate::default();
    assert_eq!(run(instrumented(&items, &gate)), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);

    let gate = Gate::default();
    assert_eq!(run(instrumented_err(&items, &gate)), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);

    let gate = Gate::default();
    assert_eq!(run(instrumented_ret_err(&items, &gate)), Ok(12));
    assert_eq!(gate.most.into_inner(), 3);

    let gate = Gate::default();
    assert_eq!(run(instrumented_ret(&items, &gate)), Some(1));
    assert_eq!(gate.most.into_inner(), 3);
}

#[test]
fn under_tracing_instrument_the_first_failure_leaves_the_function() {
    // Item 0 fails in the second group; the third group never starts.
    let items = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1];
    let gate = Gate::default();
    assert_eq!(run(instrumented(&items, &gate)), Err("item 0".into()));
    assert!(gate.arrived.load(SeqCst) <= 6 + 2);
    assert_eq!(
        run(instrumented_err(&items, &Gate::default())),
        Err("item 0".into())
    );
    assert_eq!(run(instrumented_ret(&items, &Gate::default())), None);
}

#[test]
fn under_async_trait_the_loop_runs_workers_at_once() {
    let gate = Gate::default();
    assert_eq!(run(Client.fetch_all(&[1; 12], &gate)), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    let gate = Gate::default();
    let future = Client.fetch_all(&[1, 1, 1, 0, 1, 1], &gate);
    // `#[async_trait]` futures are `Send`: the rewritten loop kept it so.
    fn is_send<T: Send>(_: &T) {}
    is_send(&future);
    assert_eq!(run(future), Err("item 0".into()));
}

#[test]
fn under_async_trait_with_mut_self_unit_and_instrument() {
    let mut crawler = Crawler {
        seen: Seen::default(),
        visited: AtomicUsize::new(0),
    };
    let gate = Gate::default();
    assert_eq!(run(crawler.crawl(&[1; 9], &gate)), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    assert_eq!(crawler.seen.0.lock().unwrap().len(), 9);

    let gate = Gate::default();
    assert_eq!(run(crawler.crawl_traced(&[1; 9], &gate)), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    let failing = [1, 1, 1, 0, 1, 1];
    assert_eq!(
        run(crawler.crawl_traced(&failing, &Gate::default())),
        Err("item 0".into())
    );

    let gate = Gate::default();
    run(crawler.visit(&[2; 6], &gate));
    assert_eq!(gate.most.into_inner(), 3);
    assert_eq!(crawler.visited.into_inner(), 12);
}

#[test]
fn under_tracing_instrument_on_a_thread_loop_with_err_or_ret() {
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    assert_eq!(checked(&[1; 6], &inside, &most), Ok(()));
    assert_eq!(most.into_inner(), 2);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    assert_eq!(checked(&[1, 0, 1, 1], &inside, &most), Err("item 0".into()));
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    assert_eq!(summed(&[1, 2, 3, 4], &inside, &most), Some(10));
    assert_eq!(most.into_inner(), 2);
}

// `#[tokio::test]` writes `let body = async { BODY };` and blocks on it, as `#[tokio::main]`
// does: the loop in the test's body is still the function's.
#[tokio::test]
#[fail_fast(workers = 3)]
async fn under_tokio_test_the_loop_runs_workers_at_once() {
    let gate = Gate::default();
    for _ in 0..9 {
        gate.pass(3).await;
    }
    assert_eq!(gate.most.into_inner(), 3);
}

#[tokio::main(flavor = "current_thread")]
#[fail_fast(workers = 3)]
async fn in_its_own_runtime(items: &[u32], gate: &Gate) -> Result<(), String> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            return Err("item 0".into());
        }
    }
    Ok(())
}

#[test]
fn under_tokio_main_the_loop_runs_workers_at_once_and_fails_first() {
    let gate = Gate::default();
    assert_eq!(in_its_own_runtime(&[1; 9], &gate), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    let gate = Gate::default();
    assert_eq!(
        in_its_own_runtime(&[1, 1, 0, 1, 1, 1, 1, 1, 1], &gate),
        Err("item 0".into())
    );
    assert!(
        gate.arrived.into_inner() <= 3 + 2,
        "the third group never started"
    );
}

// tokio runs first and keeps instrument, which then wraps tokio's block in its own.
#[tokio::main(flavor = "current_thread")]
#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 3)]
async fn instrumented_in_its_own_runtime(items: &[u32], gate: &Gate) -> Result<(), String> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            return Err("item 0".into());
        }
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
#[tracing::instrument(skip_all)]
#[fail_fast(workers = 3)]
async fn plainly_instrumented_in_its_own_runtime(items: &[u32], gate: &Gate) {
    for _ in items {
        gate.pass(3).await;
    }
}

#[test]
fn under_tokio_main_and_then_instrument_the_loop_runs_workers_at_once() {
    let gate = Gate::default();
    assert_eq!(instrumented_in_its_own_runtime(&[1; 9], &gate), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    let failing = [1, 1, 0, 1, 1, 1];
    assert_eq!(
        instrumented_in_its_own_runtime(&failing, &Gate::default()),
        Err("item 0".into())
    );
    let gate = Gate::default();
    plainly_instrumented_in_its_own_runtime(&[1; 6], &gate);
    assert_eq!(gate.most.into_inner(), 3);
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A `return` whose value rustc converts to the function's type (`Box<io::Error>` to
/// `Box<dyn Error>`, `&String` to `&str`) where the wrapping attribute put the body in a
/// closure or async block whose type it gives with a `return` of its own.
#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 2)]
fn converted_in_instruments_closure(items: &[u32]) -> Result<(), BoxError> {
    for &item in items {
        if item == 0 {
            return Err(Box::new(std::io::Error::other("item 0")));
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, err, ret)]
#[fail_fast(workers = 2)]
fn longest_in_instruments_closure<'a>(words: &'a [String]) -> Result<Option<&'a str>, BoxError> {
    for word in words {
        if word.len() > 3 {
            return Ok(Some(word));
        }
    }
    Ok(None)
}

#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 3)]
async fn converted_in_instruments_async_block(items: &[u32], gate: &Gate) -> Result<(), BoxError> {
    for &item in items {
        gate.pass(3).await;
        if item == 0 {
            return Err(Box::new(std::io::Error::other("item 0")));
        }
    }
    Ok(())
}

#[async_trait::async_trait]
trait Check {
    async fn check_all(&self, items: &[u32], gate: &Gate) -> Result<(), BoxError>;
}

#[async_trait::async_trait]
impl Check for Client {
    #[fail_fast(workers = 3)]
    async fn check_all(&self, items: &[u32], gate: &Gate) -> Result<(), BoxError> {
        for &item in items {
            gate.pass(3).await;
            if item == 0 {
                return Err(Box::new(std::io::Error::other("item 0")));
            }
        }
        Ok(())
    }
}

#[test]
fn a_return_converts_its_value_to_the_type_a_wrapping_attribute_gives_the_body() {
    let failing = [1, 1, 1, 0, 1, 1];
    let message = |result: Result<(), BoxError>| result.map_err(|e| e.to_string());
    assert_eq!(
        message(converted_in_instruments_closure(&failing)),
        Err("item 0".into())
    );
    assert_eq!(message(converted_in_instruments_closure(&[1; 4])), Ok(()));
    let words = ["a".to_string(), "long one".to_string()];
    assert_eq!(
        longest_in_instruments_closure(&words).unwrap(),
        Some("long one")
    );
    assert_eq!(
        message(run(converted_in_instruments_async_block(
            &failing,
            &Gate::default()
        ))),
        Err("item 0".into())
    );
    let gate = Gate::default();
    assert_eq!(message(run(Client.check_all(&[1; 6], &gate))), Ok(()));
    assert_eq!(gate.most.into_inner(), 3);
    assert_eq!(
        message(run(Client.check_all(&failing, &Gate::default()))),
        Err("item 0".into())
    );
}
