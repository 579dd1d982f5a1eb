//! Test 13: thousands of random loops, each checked against every invariant of the contract.
//!
//! Reproducible: the seed is printed, and `FAILFAST_STRESS_SEED=<seed>` replays it;
//! `FAILFAST_STRESS_LOOPS` changes the number of loops (default 2,000). A watchdog fails the
//! test, naming the seed and the loop, if a loop makes no progress for a minute.
//!
//! The soak: `FAILFAST_STRESS_MINUTES=30 cargo test --release -p failfast-runtime --test stress
//! -- --nocapture` runs random loops for that long instead, and reports what it survived.
mod common;

use common::{scaled, seed, watched, Concurrency, Item, Path};
use failfast_runtime::{cancelled, Loop, StopToken, Stopped};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The payload of the panics this test injects (the panic hook keeps them quiet).
#[derive(Debug, PartialEq)]
struct Injected(usize);

#[derive(Debug)]
struct Plan {
    path: Path,
    workers: usize,
    len: usize,
    fail_at: Option<usize>,
    panic_at: Option<usize>,
    input_panic_at: Option<usize>,
    /// The iteration that stops the loop's `StopToken`: a stop from outside at a random time.
    stop_at: Option<usize>,
    delay: u8,
}

/// How a stress loop ended early: an iteration's failure, or the stop.
#[derive(Debug, PartialEq)]
enum Exit {
    Failed(usize),
    Stopped,
}

impl From<Stopped> for Exit {
    fn from(stopped: Stopped) -> Exit {
        assert!(!stopped.timed_out(), "only a token stops these loops");
        Exit::Stopped
    }
}

impl Plan {
    fn random(rng: &mut StdRng) -> Plan {
        let len = rng.gen_range(0..=300);
        let path = Path::random(rng);
        let mut point =
            |probability| (len > 0 && rng.gen_bool(probability)).then(|| rng.gen_range(0..len));
        let (fail_at, panic_at) = (point(0.6), point(0.15));
        // An input split by index has no `next()` to panic in.
        let input_panic_at = point(0.1).filter(|_| path != Path::Indexed);
        let stop_at = point(0.3);
        Plan {
            path,
            fail_at,
            panic_at,
            input_panic_at,
            stop_at,
            workers: rng.gen_range(1..=8),
            len,
            delay: rng.gen_range(0..4),
        }
    }
}

/// What one loop went through.
struct Survived {
    items: usize,
    failed: bool,
    panicked: bool,
}

fn run_and_check(plan: &Plan) -> Survived {
    let runs: Vec<AtomicUsize> = (0..plan.len).map(|_| AtomicUsize::new(0)).collect();
    let drops: Vec<AtomicUsize> = (0..plan.len).map(|_| AtomicUsize::new(0)).collect();
    let pulled = AtomicUsize::new(0);
    let input_panicked = AtomicBool::new(false);
    let body_panicked = AtomicBool::new(false);
    let running = Concurrency::default();
    let started_after_cancel = AtomicUsize::new(0);
    let order = Mutex::new(Vec::new());

    let input = (0..plan.len).map(|index| {
        if Some(index) == plan.input_panic_at {
            input_panicked.store(true, Ordering::SeqCst);
            panic_any(Injected(index));
        }
        pulled.fetch_add(1, Ordering::SeqCst);
        Item {
            index,
            drops: &drops,
        }
    });
    let token = StopToken::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let settings = Loop::new(plan.workers).stop(&token);
        plan.path.try_for_each_with(input, settings, |item| {
            if cancelled() {
                started_after_cancel.fetch_add(1, Ordering::SeqCst);
            }
            let _running = running.enter();
            let index = item.index;
            runs[index].fetch_add(1, Ordering::SeqCst);
            order.lock().unwrap().push(index);
            match plan.delay {
                0 => {}
                1 => std::thread::yield_now(),
                2 => std::thread::sleep(Duration::from_micros(20)),
                _ => {
                    // A long iteration that polls, as users are told to write them.
                    let polling = std::time::Instant::now();
                    while index % 5 == 0
                        && !cancelled()
                        && polling.elapsed() < Duration::from_millis(2)
                    {
                        std::thread::yield_now();
                    }
                }
            }
            if Some(index) == plan.panic_at {
                body_panicked.store(true, Ordering::SeqCst);
                panic_any(Injected(index));
            }
            if Some(index) == plan.stop_at {
                token.stop();
            }
            if Some(index) == plan.fail_at {
                return Err(Exit::Failed(index));
            }
            Ok(())
        })
    }));

    let pulled = pulled.load(Ordering::SeqCst);
    assert_eq!(running.now(), 0, "an iteration outlived its loop");
    assert!(
        running.max() <= plan.workers,
        "{} ran at once",
        running.max()
    );
    // An iteration's failure races the other `workers - 1` workers; a failure of the input
    // pulled by the calling thread alone races all of them.
    let racing = if input_panicked.load(Ordering::SeqCst) && plan.path == Path::Caller {
        plan.workers
    } else {
        plan.workers - 1
    };
    let late = started_after_cancel.load(Ordering::SeqCst);
    assert!(
        late <= racing,
        "{late} iterations started after the loop failed"
    );
    for index in 0..plan.len {
        let runs = runs[index].load(Ordering::SeqCst);
        assert!(runs <= 1, "item {index} ran {runs} times");
        let expected = usize::from(index < pulled);
        assert_eq!(
            drops[index].load(Ordering::SeqCst),
            expected,
            "item {index} drops"
        );
    }
    let order = order.into_inner().unwrap();
    if plan.workers == 1 {
        assert!(
            order.iter().copied().eq(0..order.len()),
            "one worker runs in order: {order:?}"
        );
    }
    let panicked = body_panicked.load(Ordering::SeqCst) || input_panicked.load(Ordering::SeqCst);
    let survived = Survived {
        items: pulled,
        failed: matches!(result, Ok(Err(_))),
        panicked: result.is_err(),
    };
    match result {
        Err(payload) => {
            let Injected(at) = *payload
                .downcast::<Injected>()
                .expect("the injected payload");
            assert!(panicked, "a panic came back that never happened");
            assert!(Some(at) == plan.panic_at || Some(at) == plan.input_panic_at);
        }
        Ok(Err(Exit::Stopped)) => {
            assert!(!panicked, "a panic happened but the stop was returned");
            let stopper = plan.stop_at.expect("a stop that nobody made");
            assert_eq!(runs[stopper].load(Ordering::SeqCst), 1);
            if plan.workers == 1 {
                assert_eq!(order.last(), Some(&stopper), "one worker stops at the stop");
            }
        }
        Ok(Err(Exit::Failed(at))) => {
            assert!(!panicked, "a panic happened but an error was returned");
            assert_eq!(Some(at), plan.fail_at);
            if plan.workers == 1 {
                assert_eq!(
                    order.last(),
                    Some(&at),
                    "one worker stops at the first failure"
                );
            }
        }
        Ok(Ok(())) => {
            assert!(!panicked, "a panic happened but the loop succeeded");
            assert_eq!(pulled, plan.len, "a successful loop pulls the whole input");
            assert_eq!(order.len(), plan.len, "a successful loop runs every item");
            assert!(plan
                .fail_at
                .is_none_or(|at| runs[at].load(Ordering::SeqCst) == 0));
            assert!(plan.stop_at.is_none(), "a stopped loop succeeded");
        }
    }
    survived
}

#[test]
fn random_loops_keep_every_invariant() {
    let seed = seed("FAILFAST_STRESS_SEED");
    let loops: usize = std::env::var("FAILFAST_STRESS_LOOPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| scaled(2_000));
    let minutes: Option<u64> = std::env::var("FAILFAST_STRESS_MINUTES")
        .ok()
        .and_then(|s| s.parse().ok());
    quiet_injected_panics();
    watched(move |progress| {
        let mut rng = StdRng::seed_from_u64(seed);
        let deadline = minutes.map(|m| std::time::Instant::now() + Duration::from_secs(m * 60));
        let (mut n, mut items, mut failures, mut panics) = (0, 0, 0, 0);
        while deadline.map_or(n < loops, |d| std::time::Instant::now() < d) {
            let plan = Plan::random(&mut rng);
            progress
                .send(format!("loop {n} of seed {seed}: {plan:?}"))
                .unwrap();
            match catch_unwind(AssertUnwindSafe(|| run_and_check(&plan))) {
                Ok(survived) => {
                    items += survived.items;
                    failures += usize::from(survived.failed);
                    panics += usize::from(survived.panicked);
                }
                Err(failure) => {
                    panic!("loop {n} of seed {seed} broke an invariant with {plan:?}: {failure:?}")
                }
            }
            n += 1;
        }
        println!("stress: survived {n} loops, {items} items, {failures} failures, {panics} panics");
    });
}

/// Keeps the injected panics' messages out of the output.
fn quiet_injected_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Injected>() {
                previous_hook(info);
            }
        }));
    });
}

/// A random tree for the recursion stress: each node's children, and which leaves fail.
struct Tree {
    children: Vec<Tree>,
    id: usize,
}

impl Tree {
    fn random(rng: &mut StdRng, depth: u32, next: &mut usize) -> Tree {
        let id = *next;
        *next += 1;
        let fanout = if depth == 0 { 0 } else { rng.gen_range(0..=4) };
        Tree {
            children: (0..fanout)
                .map(|_| Tree::random(rng, depth - 1, next))
                .collect(),
            id,
        }
    }
}

#[derive(Debug)]
struct Recursion {
    path: Path,
    workers: usize,
    fail_at: Option<usize>,
    panic_at: Option<usize>,
    sleep: bool,
}

/// The recursive walk, one loop of the source reached again in its own iterations.
fn walk(
    plan: &Recursion,
    node: &Tree,
    visits: &[AtomicUsize],
    running: &Concurrency,
) -> Result<(), usize> {
    plan.path
        .try_for_each(node.children.iter(), plan.workers, |child| {
            if !child.children.is_empty() {
                return walk(plan, child, visits, running);
            }
            let _running = running.enter();
            visits[child.id].fetch_add(1, Ordering::SeqCst);
            if plan.sleep {
                std::thread::sleep(Duration::from_micros(30));
            }
            if Some(child.id) == plan.panic_at {
                panic_any(Injected(child.id));
            }
            if Some(child.id) == plan.fail_at {
                return Err(child.id);
            }
            Ok(())
        })
}

fn recurse_and_check(rng: &mut StdRng) -> Recursion {
    let depth = rng.gen_range(1..=4);
    let mut next = 0;
    let tree = Tree::random(rng, depth, &mut next);
    let mut point = |p| rng.gen_bool(p).then(|| rng.gen_range(0..next));
    let plan = Recursion {
        fail_at: point(0.4),
        panic_at: point(0.1),
        path: Path::random(rng),
        workers: rng.gen_range(1..=8),
        sleep: rng.gen_bool(0.3),
    };
    let visits: Vec<AtomicUsize> = (0..next).map(|_| AtomicUsize::new(0)).collect();
    let running = Concurrency::default();
    let result = catch_unwind(AssertUnwindSafe(|| walk(&plan, &tree, &visits, &running)));
    assert_eq!(running.now(), 0, "a leaf outlived the walk");
    assert!(
        running.max() <= plan.workers,
        "{} leaves at once across the recursion: {plan:?}",
        running.max()
    );
    let visited: usize = visits.iter().map(|v| v.load(Ordering::SeqCst)).sum();
    assert!(
        visits.iter().all(|v| v.load(Ordering::SeqCst) <= 1),
        "a leaf ran twice"
    );
    // The walk visits the root's descendants: a root without children has no leaf to visit.
    let leaves: Vec<usize> = tree.children.iter().flat_map(leaf_ids).collect();
    let what = format!("{plan:?}, {} leaves of depth {depth}", leaves.len());
    match result {
        Ok(Ok(())) => {
            assert_eq!(
                visited,
                leaves.len(),
                "a successful walk visits every leaf: {what}"
            );
            assert!(
                plan.fail_at.is_none_or(|at| !leaves.contains(&at)),
                "a failing leaf was skipped: {what}"
            );
        }
        Ok(Err(at)) => assert_eq!(Some(at), plan.fail_at, "{what}"),
        Err(payload) => {
            let Injected(at) = *payload
                .downcast::<Injected>()
                .expect("the injected payload");
            assert_eq!(Some(at), plan.panic_at, "{what}");
        }
    }
    plan
}

fn leaf_ids(tree: &Tree) -> Vec<usize> {
    if tree.children.is_empty() {
        return vec![tree.id];
    }
    tree.children.iter().flat_map(leaf_ids).collect()
}

#[test]
fn random_recursions_share_one_limit_and_keep_every_invariant() {
    let seed = seed("FAILFAST_STRESS_SEED");
    quiet_injected_panics();
    watched(move |progress| {
        let mut rng = StdRng::seed_from_u64(seed);
        for n in 0..scaled(300) {
            progress
                .send(format!("recursion {n} of seed {seed}"))
                .unwrap();
            let plan = catch_unwind(AssertUnwindSafe(|| recurse_and_check(&mut rng)));
            if let Err(failure) = plan {
                panic!("recursion {n} of seed {seed} broke an invariant: {failure:?}");
            }
        }
    });
}

// ---------------------------------------------------------------------------------------
// `while let` loops: seeded random recursions, every level's head feeding the level's
// children, a leaf may fail (same seed variable). A loop that succeeds started every value
// it pulled and ran every leaf once; one that fails never started a value it did not pull;
// no more than `workers` leaves run at once; nothing hangs (the watchdog).

/// One random recursion.
#[derive(Debug, Clone, Copy)]
struct HeadPlan {
    workers: usize,
    depth: u32,
    fanout: usize,
    /// The leaf (by its number) that fails, if any.
    fail_at: Option<usize>,
    /// Leaves sleep this long, in microseconds, when their number is odd.
    sleep_us: u64,
}

impl HeadPlan {
    fn random(rng: &mut StdRng) -> HeadPlan {
        let (depth, fanout) = (rng.gen_range(0..=2), rng.gen_range(1..=4));
        let leaves = (fanout as u32).pow(depth + 1) as usize;
        HeadPlan {
            workers: rng.gen_range(1..=6),
            depth,
            fanout,
            fail_at: rng.gen_bool(0.3).then(|| rng.gen_range(0..leaves)),
            sleep_us: rng.gen_range(0..=100),
        }
    }
}

#[derive(Default)]
struct HeadCounts {
    pulled: AtomicUsize,
    started: AtomicUsize,
    leaves: AtomicUsize,
    running: Concurrency,
}

static HEAD_SITE: failfast_runtime::rewrite::LoopSite = failfast_runtime::rewrite::LoopSite::new();

/// One level: its children, numbered below `node`, pulled by its head.
fn level(plan: &HeadPlan, depth: u32, node: usize, counts: &HeadCounts) -> Result<(), usize> {
    let mut children = (0..plan.fanout).rev().collect::<Vec<_>>();
    failfast_runtime::rewrite::while_let(
        |slot: &mut Option<usize>| {
            let child = children.pop();
            if child.is_some() {
                counts.pulled.fetch_add(1, Ordering::SeqCst);
            }
            *slot = child.map(|child| node * plan.fanout + child);
            Ok(())
        },
        plan.workers,
        &HEAD_SITE,
        |child| {
            counts.started.fetch_add(1, Ordering::SeqCst);
            if depth < plan.depth {
                return level(plan, depth + 1, child, counts);
            }
            let _running = counts.running.enter();
            counts.leaves.fetch_add(1, Ordering::SeqCst);
            if child % 2 == 1 {
                std::thread::sleep(Duration::from_micros(plan.sleep_us));
            }
            if plan.fail_at == Some(child) {
                Err(child)
            } else {
                Ok(())
            }
        },
    )
}

#[test]
fn random_recursions_start_what_they_pull() {
    let seed = seed("FAILFAST_STRESS_SEED");
    let rounds = if cfg!(miri) { 3 } else { scaled(300) };
    watched(move |progress| {
        let mut rng = StdRng::seed_from_u64(seed);
        for round in 0..rounds {
            let plan = HeadPlan::random(&mut rng);
            let counts = HeadCounts::default();
            let result = level(&plan, 0, 0, &counts);
            let (pulled, started) = (counts.pulled.into_inner(), counts.started.into_inner());
            let what = format!("round {round}, {plan:?}, seed {seed}");
            match (result, plan.fail_at) {
                (Ok(()), None) => {
                    assert_eq!(pulled, started, "pulled, started ({what})");
                    let leaves = plan.fanout.pow(plan.depth + 1);
                    assert_eq!(counts.leaves.into_inner(), leaves, "leaves ({what})");
                }
                (Err(leaf), Some(fail_at)) => {
                    assert_eq!(leaf, fail_at, "{what}");
                    assert!(
                        started <= pulled,
                        "started {started} > pulled {pulled} ({what})"
                    );
                }
                (result, _) => panic!("{result:?} ({what})"),
            }
            assert!(counts.running.max() <= plan.workers, "{what}");
            progress.send(round).unwrap();
        }
    });
}
