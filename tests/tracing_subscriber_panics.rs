//! A `tracing` subscriber that panics where a pool thread enters or leaves the caller's span
//! ends the loop like a panicking iteration: the panic resumes on the caller, the loop does
//! not hang, and the next loop runs. (Before, the pool thread's visit unwound without
//! leaving its run, and the caller waited for it forever.) Also when it panics at every
//! entry, on loops whose caller only feeds them (the runtime API, `while let`): the run's
//! items are closed with the first panic, not left for the next visit to panic on.
#![cfg(feature = "tracing")]
use failfast::fail_fast;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Generous bound for "this must not hang"; never a measure of speed.
const HANG: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, PartialEq)]
enum Where {
    Enter,
    Exit,
    EveryEnter,
}

/// Panics once, in `on_enter` or `on_exit`, on a thread other than the caller's.
struct Bomb {
    at: Where,
    caller: std::thread::ThreadId,
    fired: Arc<AtomicBool>,
}

impl Bomb {
    fn maybe_fire(&self, at: Where) {
        let every = self.at == Where::EveryEnter && at == Where::Enter;
        if (at == self.at || every)
            && std::thread::current().id() != self.caller
            && (!self.fired.swap(true, Ordering::SeqCst) || every)
        {
            panic!("the subscriber's bomb");
        }
    }
}

impl<S: Subscriber> Layer<S> for Bomb {
    fn on_enter(&self, _: &tracing::span::Id, _: Context<'_, S>) {
        self.maybe_fire(Where::Enter);
    }
    fn on_exit(&self, _: &tracing::span::Id, _: Context<'_, S>) {
        self.maybe_fire(Where::Exit);
    }
}

#[fail_fast(workers = 4)]
fn sum(items: &[u64], total: &AtomicU64) -> Result<(), String> {
    for &n in items {
        total.fetch_add(n, Ordering::Relaxed);
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(())
}

/// The runtime API's loop, which its caller only feeds: [`sum`] otherwise.
fn sum_fed(items: &[u64], total: &AtomicU64) -> Result<(), String> {
    failfast::try_for_each(items.iter(), 4, |&n| {
        total.fetch_add(n, Ordering::Relaxed);
        std::thread::sleep(Duration::from_micros(200));
        Ok(())
    })
}

/// A `while let` loop, whose caller evaluates the head: [`sum`] otherwise.
#[fail_fast(workers = 4)]
fn sum_headed(items: &[u64], total: &AtomicU64) -> Result<(), String> {
    let mut items = items.iter();
    while let Some(&n) = items.next() {
        total.fetch_add(n, Ordering::Relaxed);
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(())
}

type Sum = fn(&[u64], &AtomicU64) -> Result<(), String>;

/// The first loop's panic, and whether a second loop summed every item (`None`: it is not
/// run, as a bomb that fires at every entry fires there too).
type Outcome = (Option<String>, Option<bool>);

/// Runs `sum` inside a span, with `at`'s bomb as the thread's subscriber, on a thread of its
/// own, and then again unless the bomb fires at every entry.
fn run_with_bomb(at: Where) -> (Option<String>, bool) {
    let (payload, again) = run_loop_with_bomb(at, sum);
    (payload, again.expect("run"))
}

fn run_loop_with_bomb(at: Where, sum: Sum) -> Outcome {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let fired = Arc::new(AtomicBool::new(false));
        let subscriber = tracing_subscriber::registry().with(Bomb {
            at,
            caller: std::thread::current().id(),
            fired: Arc::clone(&fired),
        });
        let result = tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", id = 7);
            let _entered = span.enter();
            let items: Vec<u64> = (1..=400).collect();
            let first = catch_unwind(AssertUnwindSafe(|| sum(&items, &AtomicU64::new(0))));
            let payload = first.err().map(|payload| {
                payload
                    .downcast_ref::<&str>()
                    .map_or_else(|| "another payload".to_string(), |s| s.to_string())
            });
            let again = (at != Where::EveryEnter).then(|| {
                let total = AtomicU64::new(0);
                sum(&items, &total).is_ok() && total.into_inner() == 400 * 401 / 2
            });
            (payload, again)
        });
        let _ = done.send(result);
    });
    finished
        .recv_timeout(HANG)
        .expect("the loop hung after its subscriber panicked on a pool thread")
}

#[test]
fn a_subscriber_panicking_as_a_pool_thread_enters_the_span_ends_the_loop_with_its_panic() {
    let (payload, again) = run_with_bomb(Where::Enter);
    assert_eq!(payload.as_deref(), Some("the subscriber's bomb"));
    assert!(again, "the next loop did not sum every item");
}

#[test]
fn a_subscriber_panicking_as_a_pool_thread_leaves_the_span_ends_the_loop_with_its_panic() {
    let (payload, again) = run_with_bomb(Where::Exit);
    assert_eq!(payload.as_deref(), Some("the subscriber's bomb"));
    assert!(again, "the next loop did not sum every item");
}

#[test]
fn a_subscriber_panicking_at_every_entry_ends_every_kind_of_loop_with_its_panic() {
    for (name, sum) in [
        ("the runtime API", sum_fed as Sum),
        ("a while let", sum_headed),
        ("a for over a slice", sum),
    ] {
        let (payload, _) = run_loop_with_bomb(Where::EveryEnter, sum);
        assert_eq!(payload.as_deref(), Some("the subscriber's bomb"), "{name}");
    }
}

/// A subscriber that panics at the caller's `at`-th look at its current span, and is
/// otherwise in no span.
struct LookBomb {
    caller: std::thread::ThreadId,
    looks: std::sync::atomic::AtomicUsize,
    at: usize,
}

impl Subscriber for LookBomb {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
    fn current_span(&self) -> tracing_core::span::Current {
        if std::thread::current().id() == self.caller
            && self.looks.fetch_add(1, Ordering::SeqCst) + 1 == self.at
        {
            panic!("the subscriber's bomb");
        }
        tracing_core::span::Current::none()
    }
}

/// The caller looks at its current span as the loop starts, once to capture it for the pool
/// threads and once more as it begins to work: a panic at either ends the loop with it.
/// (An owner counted in its run as it was listed, and unwinding from the second look, left
/// the loop waiting for it forever.)
#[test]
fn a_subscriber_panicking_as_the_caller_looks_at_its_span_ends_the_loop_with_its_panic() {
    for at in 1..=4 {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let subscriber = LookBomb {
                caller: std::thread::current().id(),
                looks: std::sync::atomic::AtomicUsize::new(0),
                at,
            };
            let panicked = tracing::subscriber::with_default(subscriber, || {
                let items: Vec<u64> = (1..=400).collect();
                let total = AtomicU64::new(0);
                match catch_unwind(AssertUnwindSafe(|| sum(&items, &total))) {
                    Ok(summed) => {
                        assert_eq!(summed, Ok(()));
                        assert_eq!(total.into_inner(), 400 * 401 / 2);
                        false
                    }
                    Err(payload) => {
                        assert_eq!(
                            payload.downcast_ref::<&str>(),
                            Some(&"the subscriber's bomb")
                        );
                        true
                    }
                }
            });
            let _ = done.send(panicked);
        });
        let panicked = finished
            .recv_timeout(HANG)
            .unwrap_or_else(|_| panic!("the loop hung after its caller's look {at} panicked"));
        if at <= 2 {
            assert!(panicked, "look {at} did not panic");
        }
    }
}
