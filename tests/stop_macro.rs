//! `stop`, `timeout` and `deadline` on `#[fail_fast]` loops: each input path and async loops,
//! what the function returns (`Result` through `From`, `Option`, `()`), nested loops and a
//! recursive walk.
use failfast::{cancelled, fail_fast, StopToken, Stopped};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

/// Generous bound for "this must not hang".
const HANG: Duration = Duration::from_secs(30);

/// Waits until the loop is cancelled: only a stop ends such an iteration.
fn until_cancelled() {
    let begin = Instant::now();
    while !cancelled() {
        assert!(begin.elapsed() < HANG, "the loop was never cancelled");
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// Calls `f` while another thread stops `token` once `started` is non-zero.
fn stopping<R>(token: &StopToken, started: &AtomicUsize, f: impl FnOnce() -> R) -> R {
    stopping_at(1, token, started, f)
}

/// Calls `f` while another thread stops `token` once `started` is at least `at`.
fn stopping_at<R>(at: usize, token: &StopToken, started: &AtomicUsize, f: impl FnOnce() -> R) -> R {
    std::thread::scope(|s| {
        s.spawn(|| {
            let begin = Instant::now();
            while started.load(SeqCst) < at {
                assert!(begin.elapsed() < HANG, "{at} iterations never started");
                std::thread::yield_now();
            }
            token.stop();
        });
        f()
    })
}

#[fail_fast(workers = 4, stop = stop)]
fn indexed(items: &[u32], stop: &StopToken, started: &AtomicUsize) -> std::io::Result<()> {
    for _item in items {
        started.fetch_add(1, SeqCst);
        until_cancelled();
    }
    Ok(())
}

#[fail_fast(workers = 4, stop = stop)]
fn shared(
    items: impl Iterator<Item = u32> + Send,
    stop: &StopToken,
    started: &AtomicUsize,
) -> anyhow::Result<()> {
    for _item in items {
        started.fetch_add(1, SeqCst);
        until_cancelled();
    }
    Ok(())
}

#[fail_fast(workers = 4, stop = token)]
fn caller_fed(items: Vec<Rc<u32>>, token: StopToken, started: &AtomicUsize) -> Option<()> {
    for item in items.iter().map(|item| **item) {
        started.fetch_add(1, SeqCst);
        let _ = item;
        until_cancelled();
    }
    Some(())
}

#[test]
fn a_stop_token_stops_every_input_path() {
    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    let error = stopping(&token, &started, || indexed(&[0; 1000], &token, &started)).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::Interrupted);

    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    let error = stopping(&token, &started, || shared(0..1000, &token, &started)).unwrap_err();
    assert_eq!(error.downcast_ref::<Stopped>(), Some(&Stopped::by_token()));

    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    let items = (0..1000).map(Rc::new).collect();
    let result = stopping(&token, &started, || {
        caller_fed(items, token.clone(), &started)
    });
    assert_eq!(result, None);
}

/// A user's error enum with a variant for the stop.
#[derive(Debug, PartialEq)]
enum Error {
    Failed(u32),
    Stopped(Stopped),
}

impl From<Stopped> for Error {
    fn from(stopped: Stopped) -> Error {
        Error::Stopped(stopped)
    }
}

#[fail_fast(workers = 3, timeout = Duration::from_millis(20))]
fn timed(items: std::ops::Range<u32>) -> Result<(), Error> {
    for item in items {
        if item == u32::MAX {
            Err(Error::Failed(item))?;
        }
        until_cancelled();
    }
    Ok(())
}

#[fail_fast(workers = 3, deadline = deadline)]
fn until(items: std::ops::RangeFrom<u32>, deadline: Instant) -> Result<u32, Error> {
    for _item in items {
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(7)
}

#[test]
fn timeout_and_deadline_stop_thread_loops() {
    let begin = Instant::now();
    assert_eq!(timed(0..1000), Err(Error::Stopped(Stopped::timeout())));
    assert!(begin.elapsed() >= Duration::from_millis(20));
    let deadline = Instant::now() + Duration::from_millis(20);
    let result = until(0.., deadline);
    assert!(matches!(result, Err(Error::Stopped(s)) if s.timed_out()));
    assert!(Instant::now() >= deadline);
}

#[fail_fast(workers = 2, stop = stop)]
fn unit(items: &[u32], stop: &StopToken, ran: &AtomicUsize) {
    for _item in items {
        ran.fetch_add(1, SeqCst);
    }
}

#[test]
fn a_unit_function_simply_returns() {
    let token = StopToken::new();
    token.stop();
    let ran = AtomicUsize::new(0);
    unit(&[1, 2, 3], &token, &ran);
    assert_eq!(ran.load(SeqCst), 0, "a stopped token: nothing runs");
    unit(&[1, 2, 3], &StopToken::new(), &ran);
    assert_eq!(ran.load(SeqCst), 3);
}

#[fail_fast(workers = 2, stop = stop)]
fn outer_with_inner(stop: &StopToken, inner_started: &AtomicUsize) -> Result<(), Stopped> {
    for _outer in 0..2 {
        #[fail_fast(workers = 2)]
        for _inner in 0..1000 {
            inner_started.fetch_add(1, SeqCst);
            until_cancelled();
        }
    }
    Ok(())
}

/// Marked loops nested in the body, which inherit the function's `stop`: the outer loop's
/// body has no `?` nor `return`, but the inner loops leave through it when stopped.
#[fail_fast(workers = 2, stop = stop)]
fn nested_marked(stop: &StopToken, inner_started: &AtomicUsize) -> Result<(), Stopped> {
    #[fail_fast]
    for _outer in 0..2 {
        #[fail_fast]
        for _inner in 0..1000 {
            inner_started.fetch_add(1, SeqCst);
            until_cancelled();
        }
    }
    Ok(())
}

type Nested = fn(&StopToken, &AtomicUsize) -> Result<(), Stopped>;

#[test]
fn a_loop_nested_in_a_stopped_loop_stops() {
    let nested: [(&str, Nested); 2] = [
        ("outer_with_inner", outer_with_inner),
        ("nested_marked", nested_marked),
    ];
    for (name, nested) in nested {
        let token = StopToken::new();
        let started = AtomicUsize::new(0);
        let result = stopping(&token, &started, || nested(&token, &started));
        assert_eq!(result, Err(Stopped::by_token()), "{name}");
        assert!(started.load(SeqCst) <= 6, "{name}");
    }
}

/// A walk of a complete tree, 5 children per node, sharing one limit across the recursion;
/// every run takes the same token.
#[fail_fast(workers = 2, stop = stop)]
fn walk(depth: u32, stop: &StopToken, visited: &AtomicUsize) -> Result<(), Stopped> {
    for _child in 0..5 {
        visited.fetch_add(1, SeqCst);
        if depth > 1 {
            walk(depth - 1, stop, visited)?;
        } else {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    Ok(())
}

#[test]
fn a_recursive_walk_stopped_midway_stops_everywhere() {
    let token = StopToken::new();
    let visited = AtomicUsize::new(0);
    let total = 5 + 25 + 125 + 625;
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            let begin = Instant::now();
            while visited.load(SeqCst) < total / 3 {
                assert!(begin.elapsed() < HANG);
                std::thread::yield_now();
            }
            token.stop();
        });
        walk(4, &token, &visited)
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert!(
        visited.load(SeqCst) < total,
        "the walk went on after the stop"
    );
}

#[fail_fast(workers = 8, stop = stop)]
async fn fetch_all(
    ids: std::ops::RangeFrom<u32>,
    stop: &StopToken,
    started: &AtomicUsize,
) -> Result<(), Error> {
    for _id in ids {
        started.fetch_add(1, SeqCst);
        std::future::pending::<()>().await;
    }
    Ok(())
}

#[test]
fn an_async_loop_is_stopped_from_another_thread() {
    let token = StopToken::new();
    let started = AtomicUsize::new(0);
    // Stopped once all eight run: a stop between two starts would leave fewer.
    let result = stopping_at(8, &token, &started, || {
        futures::executor::block_on(fetch_all(0.., &token, &started))
    });
    assert_eq!(result, Err(Error::Stopped(Stopped::by_token())));
    assert_eq!(started.load(SeqCst), 8);
}

/// Pending once, woken at once.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return std::task::Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await;
}

#[fail_fast(workers = 2, stop = stop)]
async fn last_one_stops(stop: &StopToken) -> Result<(), Stopped> {
    for _ in 0..1 {
        yield_once().await;
        stop.stop();
    }
    Ok(())
}

#[fail_fast(workers = 2, stop = stop)]
async fn last_one_stops_while_let(stop: &StopToken) -> Result<(), Stopped> {
    let mut jobs = futures::stream::iter([1]);
    while let Some(_job) = futures::StreamExt::next(&mut jobs).await {
        yield_once().await;
        stop.stop();
    }
    Ok(())
}

/// The last iteration stops the token, then finishes: the stop came before the loop's end.
#[test]
fn an_async_loop_whose_last_iteration_stops_it_ends_stopped() {
    let token = StopToken::new();
    let result = futures::executor::block_on(last_one_stops(&token));
    assert_eq!(result, Err(Stopped::by_token()));
    let token = StopToken::new();
    let result = futures::executor::block_on(last_one_stops_while_let(&token));
    assert_eq!(result, Err(Stopped::by_token()));
}

#[test]
fn a_stop_after_the_loop_finished_changes_nothing() {
    let token = StopToken::new();
    let ran = AtomicUsize::new(0);
    unit(&[1, 2, 3], &token, &ran);
    token.stop();
    assert_eq!(ran.load(SeqCst), 3);
}

/// Evaluates a `while let` loop's head: counts it, and whether the token was stopped then.
fn next_job(
    jobs: &std::sync::mpsc::Receiver<u32>,
    token: &StopToken,
    heads: &AtomicUsize,
    heads_after_stop: &AtomicUsize,
) -> Result<u32, std::sync::mpsc::RecvError> {
    heads.fetch_add(1, SeqCst);
    if token.is_stopped() {
        heads_after_stop.fetch_add(1, SeqCst);
    }
    jobs.recv()
}

#[fail_fast(workers = 4, stop = token)]
fn drain(
    jobs: &std::sync::mpsc::Receiver<u32>,
    token: &StopToken,
    heads: &AtomicUsize,
    heads_after_stop: &AtomicUsize,
    started: &AtomicUsize,
) -> Result<(), Stopped> {
    while let Ok(_job) = next_job(jobs, token, heads, heads_after_stop) {
        started.fetch_add(1, SeqCst);
        until_cancelled();
    }
    Ok(())
}

#[test]
fn a_thread_while_let_loop_is_stopped_from_another_thread() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in 0..1000 {
        tx.send(job).unwrap();
    }
    let token = StopToken::new();
    let heads = AtomicUsize::new(0);
    let heads_after_stop = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            // Every slot busy: the head is not being evaluated when the stop comes.
            let begin = Instant::now();
            while started.load(SeqCst) < 4 {
                assert!(begin.elapsed() < HANG, "four iterations never ran at once");
                std::thread::yield_now();
            }
            token.stop();
        });
        drain(&rx, &token, &heads, &heads_after_stop, &started)
    });
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(
        heads_after_stop.into_inner(),
        0,
        "the head was evaluated after the stop"
    );
    assert_eq!(heads.into_inner(), 4, "one value per slot");
    assert_eq!(started.into_inner(), 4);
    assert_eq!(
        rx.try_iter().count(),
        996,
        "the channel keeps what was not taken"
    );
    drop(tx);
}

/// A `while let` loop's head that counts its evaluations begun and finished.
async fn next_message(
    messages: &mut futures::channel::mpsc::UnboundedReceiver<u32>,
    begun: &AtomicUsize,
    finished: &AtomicUsize,
) -> Option<u32> {
    begun.fetch_add(1, SeqCst);
    let message = futures::StreamExt::next(messages).await;
    finished.fetch_add(1, SeqCst);
    message
}

#[fail_fast(workers = 4, stop = stop)]
async fn receive_all(
    messages: &mut futures::channel::mpsc::UnboundedReceiver<u32>,
    stop: &StopToken,
    begun: &AtomicUsize,
    finished: &AtomicUsize,
    started: &AtomicUsize,
) -> Result<(), Error> {
    while let Some(_message) = next_message(messages, begun, finished).await {
        started.fetch_add(1, SeqCst);
        std::future::pending::<()>().await;
    }
    Ok(())
}

#[test]
fn an_async_while_let_loop_is_stopped_with_its_head_in_progress() {
    // Two messages and a sender kept alive: two iterations pend, and so does the head,
    // waiting for a third.
    let (tx, mut rx) = futures::channel::mpsc::unbounded();
    tx.unbounded_send(1).unwrap();
    tx.unbounded_send(2).unwrap();
    let token = StopToken::new();
    let begun = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            let begin = Instant::now();
            while started.load(SeqCst) < 2 || begun.load(SeqCst) < 3 {
                assert!(begin.elapsed() < HANG, "the head never waited for a third");
                std::thread::yield_now();
            }
            token.stop();
        });
        futures::executor::block_on(receive_all(&mut rx, &token, &begun, &finished, &started))
    });
    assert_eq!(result, Err(Error::Stopped(Stopped::by_token())));
    assert_eq!(started.into_inner(), 2);
    assert_eq!(begun.into_inner(), 3);
    assert_eq!(finished.into_inner(), 2, "the head in progress was resumed");
    // The head's borrow of the receiver ended with the loop: a message sent now is there.
    tx.unbounded_send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(3));
}

#[fail_fast(workers = 1, stop = stop)]
async fn serve(
    jobs: &mut tokio::sync::mpsc::Receiver<u32>,
    stop: &StopToken,
    ran: &AtomicUsize,
) -> Result<(), Stopped> {
    while let Some(job) = jobs.recv().await {
        tokio::task::yield_now().await;
        ran.fetch_add(1, SeqCst);
        if job == 3 {
            stop.stop();
        }
    }
    Ok(())
}

/// An iteration that stops the loop and then finishes frees its slot: the head is not
/// evaluated for it, so the channel keeps every job that did not run (a job received after the
/// stop would be dropped with the loop, lost).
#[tokio::test(flavor = "current_thread")]
async fn an_async_while_let_loop_stopped_by_its_iteration_takes_no_more_jobs() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    for job in 0..10 {
        tx.send(job).await.unwrap();
    }
    let token = StopToken::new();
    let ran = AtomicUsize::new(0);
    let result = serve(&mut rx, &token, &ran).await;
    assert_eq!(result, Err(Stopped::by_token()));
    assert_eq!(ran.into_inner(), 4);
    let mut left = Vec::new();
    while let Ok(job) = rx.try_recv() {
        left.push(job);
    }
    assert_eq!(left, [4, 5, 6, 7, 8, 9], "a job was taken after the stop");
}
