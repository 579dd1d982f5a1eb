//! Iterations see the caller's `tracing` span: every event of a loop started inside a span
//! carries that span (and the spans the iteration entered since), on the caller's thread and
//! on pool threads, for every input path, in a recursion and in nested loops; an async loop
//! inside an instrumented future too. Recorded by a layer that keeps each event's thread and
//! span scope, installed as the test thread's default subscriber only: the loop must carry
//! it to its pool threads as well.
//!
//! Without the `tracing` feature (`cargo test --no-default-features --test tracing_spans`)
//! only the last test runs: the loop still runs, and pool threads log outside any span.
#![cfg_attr(not(feature = "tracing"), allow(dead_code, unused_imports))]
use failfast::fail_fast;
#[path = "tree/mod.rs"]
mod trees;
use std::fmt::Write as _;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::ThreadId;
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::instrument::WithSubscriber;
use tracing::{info, info_span, Instrument, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// Generous bound for "this must not hang"; never a measure of speed.
const HANG: Duration = Duration::from_secs(60);

/// An event as the layer saw it: its thread, and its spans from the root, each as
/// `name{field=value,...}`.
#[derive(Clone, Debug)]
struct Seen {
    thread: ThreadId,
    scope: Vec<String>,
    /// The event's fields, `name=value,...` (its message among them).
    fields: String,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

/// A span's name and fields, kept in its extensions when it is created.
struct Described(String);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(',');
        }
        let _ = write!(self.0, "{}={value:?}", field.name());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: Context<'_, S>,
    ) {
        let mut fields = Fields(String::new());
        attrs.record(&mut fields);
        let span = ctx.span(id).expect("a new span is registered");
        let described = format!("{}{{{}}}", span.name(), fields.0);
        span.extensions_mut().insert(Described(described));
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let scope = ctx
            .event_scope(event)
            .map(|scope| {
                scope
                    .from_root()
                    .map(|span| span.extensions().get::<Described>().unwrap().0.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(Seen {
            thread: std::thread::current().id(),
            scope,
            fields: fields.0,
        });
    }
}

/// Runs `f` with a recording subscriber as this thread's default; the events it saw.
fn record(f: impl FnOnce()) -> Vec<Seen> {
    let recorder = Recorder::default();
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    tracing::subscriber::with_default(subscriber, f);
    let seen = recorder.0.lock().unwrap().clone();
    seen
}

/// Holds each iteration that arrives until two threads have arrived (one of them the
/// caller, if `with_caller`), so that the loop's events come from more than one thread.
struct Meet {
    caller: Option<ThreadId>,
    arrived: Mutex<Vec<ThreadId>>,
    changed: Condvar,
}

impl Meet {
    fn new(with_caller: bool) -> Meet {
        Meet {
            caller: with_caller.then(|| std::thread::current().id()),
            arrived: Mutex::new(Vec::new()),
            changed: Condvar::new(),
        }
    }

    fn arrive(&self) {
        let me = std::thread::current().id();
        let mut arrived = self.arrived.lock().unwrap();
        if !arrived.contains(&me) {
            arrived.push(me);
            self.changed.notify_all();
        }
        let (arrived, timeout) = self
            .changed
            .wait_timeout_while(arrived, HANG, |arrived| {
                arrived.len() < 2 || self.caller.is_some_and(|c| !arrived.contains(&c))
            })
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "only {arrived:?} ran iterations: a pool thread never started"
        );
    }
}

/// Every event carries exactly `scope`, and they came from at least two threads, one of
/// them the caller if `caller`; `count` events in all.
fn assert_all_in(seen: &[Seen], count: usize, scope: &[&str], caller: Option<ThreadId>) {
    assert_eq!(seen.len(), count, "events: {seen:#?}");
    for event in seen {
        assert_eq!(event.scope, scope, "an event out of the caller's span");
    }
    let mut threads: Vec<_> = seen.iter().map(|event| event.thread).collect();
    threads.sort_by_key(|thread| format!("{thread:?}"));
    threads.dedup();
    assert!(threads.len() >= 2, "events from {threads:?} only");
    if let Some(caller) = caller {
        assert!(threads.contains(&caller), "no event from the caller");
        assert!(threads.iter().any(|&thread| thread != caller));
    }
}

#[fail_fast(workers = 4)]
fn over_range(meet: &Meet) -> Result<(), ()> {
    for i in 0..40 {
        meet.arrive();
        info!(i, "range");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn over_slice(items: &[u32], meet: &Meet) -> Result<(), ()> {
    for item in items {
        meet.arrive();
        info!(item, "slice");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn over_send_iterator(items: Vec<u32>, meet: &Meet) -> Result<(), ()> {
    for item in items.into_iter().map(|item| item * 2) {
        meet.arrive();
        info!(item, "shared");
    }
    Ok(())
}

#[test]
#[cfg(feature = "tracing")]
fn indexed_loops_run_every_iteration_in_the_callers_span() {
    let caller = std::thread::current().id();
    let meet = Meet::new(true);
    let seen = record(|| {
        let _request = info_span!("request", id = 7).entered();
        assert_eq!(over_range(&meet), Ok(()));
    });
    assert_all_in(&seen, 40, &["request{id=7}"], Some(caller));

    let items: Vec<u32> = (0..40).collect();
    let meet = Meet::new(true);
    let seen = record(|| {
        let _request = info_span!("request", id = 8).entered();
        assert_eq!(over_slice(&items, &meet), Ok(()));
    });
    assert_all_in(&seen, 40, &["request{id=8}"], Some(caller));
}

#[test]
#[cfg(feature = "tracing")]
fn a_shared_send_iterator_runs_every_iteration_in_the_callers_span() {
    let caller = std::thread::current().id();
    let meet = Meet::new(true);
    let seen = record(|| {
        let _request = info_span!("request", id = 9).entered();
        assert_eq!(over_send_iterator((0..40).collect(), &meet), Ok(()));
    });
    assert_all_in(&seen, 40, &["request{id=9}"], Some(caller));
}

#[test]
#[cfg(feature = "tracing")]
fn a_caller_fed_loop_runs_every_iteration_in_the_callers_span() {
    // The caller only pulls the input here: every iteration runs on a pool thread.
    let meet = Meet::new(false);
    let seen = record(|| {
        let _request = info_span!("request", id = 10).entered();
        let result = failfast::try_for_each(0..40, 4, |i| {
            meet.arrive();
            info!(i, "fed");
            Ok::<(), ()>(())
        });
        assert_eq!(result, Ok(()));
    });
    assert_all_in(&seen, 40, &["request{id=10}"], None);
}

#[test]
#[cfg(feature = "tracing")]
fn without_a_span_events_carry_none() {
    let meet = Meet::new(true);
    let seen = record(|| assert_eq!(over_range(&meet), Ok(())));
    assert_eq!(seen.len(), 40);
    assert!(seen.iter().all(|event| event.scope.is_empty()), "{seen:#?}");
}

struct Node {
    children: Vec<Node>,
}

fn tree(depth: u32, fanout: usize) -> Node {
    Node {
        children: if depth == 0 {
            Vec::new()
        } else {
            (0..fanout).map(|_| tree(depth - 1, fanout)).collect()
        },
    }
}

/// One child's iteration at `depth` (1 for the root's children): it enters a span of its
/// own, logs, and recurses in that span, so the inner run's iterations, on whatever thread
/// runs them, belong in it.
fn child(node: &Node, depth: usize, meet: &Meet, recurse: impl FnOnce(&Node)) {
    if depth == 1 {
        meet.arrive();
    }
    let _level = info_span!("level", depth).entered();
    info!("node");
    if !node.children.is_empty() {
        recurse(node);
    }
}

#[fail_fast(workers = 4)]
fn walk_indexed(node: &Node, depth: usize, meet: &Meet) -> Result<(), ()> {
    for c in &node.children {
        child(c, depth, meet, |c| {
            walk_indexed(c, depth + 1, meet).unwrap()
        });
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn walk_shared(node: &Node, depth: usize, meet: &Meet) -> Result<(), ()> {
    for c in node.children.iter().filter(|_| true) {
        child(c, depth, meet, |c| walk_shared(c, depth + 1, meet).unwrap());
    }
    Ok(())
}

fn walk_fed(node: &Node, depth: usize, meet: &Meet) -> Result<(), ()> {
    failfast::try_for_each(&node.children, 4, |c| {
        child(c, depth, meet, |c| walk_fed(c, depth + 1, meet).unwrap());
        Ok(())
    })
}

/// The scope an event at `depth` must carry: the request, then one `level` per depth.
fn nested_scope(request: u32, depth: usize) -> Vec<String> {
    std::iter::once(format!("request{{id={request}}}"))
        .chain((1..=depth).map(|depth| format!("level{{depth={depth}}}")))
        .collect()
}

#[test]
#[cfg(feature = "tracing")]
fn a_recursion_runs_each_inner_run_in_the_span_of_the_iteration_that_started_it() {
    type Walker = fn(&Node, usize, &Meet) -> Result<(), ()>;
    let root = tree(4, 4);
    let paths: [(&str, Walker, bool); 3] = [
        ("indexed", walk_indexed, true),
        ("shared", walk_shared, true),
        ("fed", walk_fed, false),
    ];
    for (request, (path, walk, with_caller)) in (1..).zip(paths) {
        let meet = Meet::new(with_caller);
        let seen = record(|| {
            let _request = info_span!("request", id = request).entered();
            assert_eq!(walk(&root, 1, &meet), Ok(()));
        });
        // 4 + 16 + 64 + 256 nodes below the root, one event each.
        assert_eq!(seen.len(), 340, "{path}");
        for event in &seen {
            let depth = event.scope.len() - 1;
            assert!((1..=4).contains(&depth), "{path}: {:?}", event.scope);
            assert_eq!(event.scope, nested_scope(request, depth), "{path}");
        }
        let mut threads: Vec<_> = seen.iter().map(|event| event.thread).collect();
        threads.sort_by_key(|thread| format!("{thread:?}"));
        threads.dedup();
        assert!(threads.len() >= 2, "{path}: events from {threads:?} only");
    }
}

/// The global subscriber, which a process sets once: for the tests that need one. The others'
/// thread defaults take precedence on their threads, and their loops carry those, so they log
/// nothing here.
#[cfg(feature = "tracing")]
fn global_recorder() -> &'static Recorder {
    static GLOBAL: std::sync::OnceLock<Recorder> = std::sync::OnceLock::new();
    GLOBAL.get_or_init(|| {
        let recorder = Recorder::default();
        let subscriber = tracing_subscriber::registry().with(recorder.clone());
        tracing::subscriber::set_global_default(subscriber).unwrap();
        recorder
    })
}

#[test]
#[cfg(feature = "tracing")]
fn with_a_global_subscriber_every_iteration_runs_in_the_callers_span() {
    // The pool threads log to the global subscriber without making it their default (see
    // `Carried::is_default_here`): their events still carry the span.
    let recorder = global_recorder();
    let caller = std::thread::current().id();
    let meet = Meet::new(true);
    {
        let _request = info_span!("global", id = 14).entered();
        assert_eq!(over_range(&meet), Ok(()));
    }
    let seen: Vec<Seen> = recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.scope.first().is_some_and(|s| s.starts_with("global")))
        .cloned()
        .collect();
    assert_all_in(&seen, 40, &["global{id=14}"], Some(caller));
}

#[test]
#[cfg(feature = "tracing")]
fn with_a_global_subscriber_the_callers_own_one_still_gets_every_event() {
    // A pool thread logs to the global subscriber between visits: it must make the caller's
    // own subscriber its default while it runs the caller's iterations, though the global one
    // is a registry too, and numbers its spans as the caller's does.
    global_recorder();
    let caller = std::thread::current().id();
    let meet = Meet::new(true);
    let seen = record(|| {
        let _request = info_span!("own", id = 15).entered();
        assert_eq!(over_range(&meet), Ok(()));
    });
    assert_all_in(&seen, 40, &["own{id=15}"], Some(caller));
}

#[fail_fast(workers = 4)]
fn silenced(meet: &Meet) -> Result<(), ()> {
    for i in 0..40 {
        meet.arrive();
        info!(silenced = i);
    }
    Ok(())
}

#[test]
#[cfg(feature = "tracing")]
fn a_thread_silenced_with_no_subscriber_stays_silent_on_pool_threads() {
    // `with_default(NoSubscriber, ..)` silences a region of a program that has a global
    // subscriber: the loop carries that default to its pool threads like any other, and the
    // global subscriber gets none of its events, from the caller or from the pool.
    let recorder = global_recorder();
    let meet = Meet::new(true);
    let none = tracing::subscriber::NoSubscriber::default();
    tracing::subscriber::with_default(none, || assert_eq!(silenced(&meet), Ok(())));
    let heard: Vec<Seen> = recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.fields.starts_with("silenced="))
        .cloned()
        .collect();
    assert!(heard.is_empty(), "the global subscriber got {heard:#?}");
}

/// One level of a walk instrumented the usual way, a span per level (as `#[instrument]`
/// makes): every child runs in a span of its own, which an inner run is started in.
#[fail_fast(workers = 2)]
fn walk_in_spans(node: &trees::Node, depth: usize, leaf: Duration) -> Result<(), ()> {
    for child in &node.children {
        let _level = info_span!("level", depth).entered();
        if child.children.is_empty() {
            info!("leaf");
            std::thread::sleep(leaf);
        } else {
            walk_in_spans(child, depth + 1, leaf).unwrap();
        }
    }
    Ok(())
}

#[test]
#[cfg(feature = "tracing")]
fn a_waiting_iteration_helps_runs_in_sibling_spans() {
    // The contract: idle capacity anywhere in the recursion is used, so a walk of an
    // unbalanced tree of sleeping leaves takes about (total leaf time / workers), also with a
    // span per level. An iteration waiting for its inner run must help the runs of other
    // levels' spans (when it helped only runs of its own span, this walk took about twice the
    // ideal: 0.7 s for 168 leaves of 4 ms, against 0.34 s; 1.12x now). Bound generous for a
    // loaded machine: 1.5x plus 50 ms.
    // Seeded: a tree on which helping only runs of one's own span took 2.1x the ideal.
    let root = trees::tree(7, 4, Some(5));
    let leaf = Duration::from_millis(4);
    let ideal = leaf * root.leaves() as u32 / 2;
    let mut took = Duration::ZERO;
    let seen = record(|| {
        let _request = info_span!("request", id = 7).entered();
        let begin = std::time::Instant::now();
        assert_eq!(walk_in_spans(&root, 1, leaf), Ok(()));
        took = begin.elapsed();
    });
    assert_eq!(seen.len(), root.leaves());
    for event in &seen {
        let depth = event.scope.len() - 1;
        assert!(depth >= 1, "{:?}", event.scope);
        assert_eq!(event.scope, nested_scope(7, depth));
    }
    println!(
        "{} leaves of 4 ms, 2 workers: {took:.1?}, ideal {ideal:.1?}",
        root.leaves()
    );
    assert!(
        took <= ideal.mul_f64(1.5) + Duration::from_millis(50),
        "{} leaves of 4 ms: {took:?} against an ideal of {ideal:?}",
        root.leaves()
    );
}

#[fail_fast(workers = 3)]
fn inner(outer: u32) -> Result<(), ()> {
    for j in 0..8 {
        info!(outer, j, "inner");
    }
    Ok(())
}

#[fail_fast(workers = 3)]
fn outer(meet: &Meet) -> Result<(), ()> {
    for i in 0..8 {
        meet.arrive();
        let _item = info_span!("item", i).entered();
        inner(i)?;
    }
    Ok(())
}

#[test]
#[cfg(feature = "tracing")]
fn a_loop_nested_in_an_iteration_runs_in_that_iterations_span() {
    let meet = Meet::new(true);
    let seen = record(|| {
        let _request = info_span!("request", id = 11).entered();
        assert_eq!(outer(&meet), Ok(()));
    });
    assert_eq!(seen.len(), 64);
    // Which item each event belongs to is in its `item` span, which must be the one of the
    // outer iteration that started its loop: each appears for exactly 8 events.
    let mut per_item = [0; 8];
    for event in &seen {
        assert_eq!(event.scope.len(), 2, "{:?}", event.scope);
        assert_eq!(event.scope[0], "request{id=11}");
        let i: usize = event.scope[1]
            .strip_prefix("item{i=")
            .and_then(|rest| rest.strip_suffix('}'))
            .and_then(|i| i.parse().ok())
            .unwrap_or_else(|| panic!("{:?}", event.scope));
        per_item[i] += 1;
    }
    assert_eq!(per_item, [8; 8]);
}

#[fail_fast(workers = 4)]
async fn fetch_all(ids: std::ops::Range<u32>) -> Result<(), ()> {
    for id in ids {
        tokio::task::yield_now().await;
        info!(id, "fetched");
    }
    Ok(())
}

#[test]
#[cfg(feature = "tracing")]
fn an_async_loop_polls_its_iterations_in_the_instrumented_task() {
    let recorder = Recorder::default();
    let subscriber = tracing::Dispatch::new(tracing_subscriber::registry().with(recorder.clone()));
    let span = tracing::dispatcher::with_default(&subscriber, || info_span!("request", id = 12));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let task = fetch_all(0..40)
        .instrument(span)
        .with_subscriber(subscriber);
    assert_eq!(runtime.block_on(runtime.spawn(task)).unwrap(), Ok(()));
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 40);
    for event in &seen {
        assert_eq!(event.scope, ["request{id=12}"]);
    }
}

/// Without the feature the loop runs the same; the caller's own iterations log in its span,
/// pool threads' outside any (to the global subscriber: a thread's own default would not
/// reach them at all).
#[test]
#[cfg(not(feature = "tracing"))]
fn without_the_feature_the_loop_runs_and_pool_threads_log_outside_the_span() {
    let recorder = Recorder::default();
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    // The only test of this build: nobody else sets the global subscriber.
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let caller = std::thread::current().id();
    let meet = Meet::new(true);
    {
        let _request = info_span!("request", id = 13).entered();
        assert_eq!(over_range(&meet), Ok(()));
    }
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 40);
    assert!(seen.iter().any(|event| event.thread != caller));
    for event in &seen {
        if event.thread == caller {
            assert_eq!(event.scope, ["request{id=13}"]);
        } else {
            assert!(event.scope.is_empty(), "{:?}", event.scope);
        }
    }
}
