//! Fault injection: panics where users do not expect them to be handled (also in the `Drop`
//! of items the loop drops unstarted, while another panic is handled), thread starts that
//! the OS refuses, and a body that blocks until cancelled. After each fault the loop has one
//! outcome, no item ran twice, every item pulled was dropped once, and the next loop works.
mod common;

use common::{scaled, seed, wait_until, Concurrency, Path, HANG};
use failfast_runtime::fault::{refuse_thread_starts, refused_thread_starts, Refuse};
use failfast_runtime::{cancelled, try_for_each, Loop, StopToken, Stopped};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

/// The payload of every injected panic; the panic hook keeps them quiet.
#[derive(Debug, PartialEq)]
struct Fault(&'static str);

fn quiet_injected_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Fault>() {
                previous(info);
            }
        }));
    });
}

/// Thread starts are refused process-wide, and `run_on` sets and resets the policy and its
/// counts for each loop: a test that refuses thread starts holds this for writing, and every
/// other test that runs a loop holds it for reading. Unguarded, another test's loop would
/// reset the policy in the middle of a refusing loop (which then refused nothing), or take
/// the refusals meant for it (and be refused threads its body waits for).
static THREAD_STARTS: RwLock<()> = RwLock::new(());

/// For a test whose loops start threads as the OS allows.
fn threads_needed() -> RwLockReadGuard<'static, ()> {
    THREAD_STARTS
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// For a test whose loops refuse thread starts: no other test runs a loop meanwhile, so
/// [`REFUSED`] counts this test's refusals only.
fn refusing() -> RwLockWriteGuard<'static, ()> {
    THREAD_STARTS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Thread starts refused in the loops of `run_on`, ever: a test holding [`refusing`] reads it
/// before and after, to check that its refusals really happened.
static REFUSED: AtomicUsize = AtomicUsize::new(0);

fn fault_of(payload: Box<dyn std::any::Any + Send>) -> Fault {
    *payload.downcast::<Fault>().expect("the injected payload")
}

/// What may go wrong, and where.
#[derive(Clone, Copy, Debug)]
struct Faults {
    /// `next()` panics when asked for this item.
    input_panics_at: Option<usize>,
    /// This item's `Drop` panics.
    drop_panics_at: Option<usize>,
    /// This item fails with an error whose `Drop` panics.
    error_drop_panics_at: Option<usize>,
    /// This item fails with an error whose `From` conversion panics.
    from_panics_at: Option<usize>,
    /// This item fails normally.
    fails_at: Option<usize>,
    /// This item waits until the loop is cancelled, then panics.
    panics_when_cancelled_at: Option<usize>,
    /// This item stops the loop's `StopToken` (from inside the loop, so at a random point of
    /// its run: before, after or among the other faults), and then fails with the error its
    /// `cancelled()` check would give.
    stops_at: Option<usize>,
    /// Every item the loop drops without running it panics in its `Drop`, also while
    /// another panic unwinds (which aborts the process unless the loop catches each).
    unstarted_drops_panic: bool,
    /// Thread starts refused during the loop.
    refuse: Refuse,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            input_panics_at: None,
            drop_panics_at: None,
            error_drop_panics_at: None,
            from_panics_at: None,
            fails_at: None,
            panics_when_cancelled_at: None,
            stops_at: None,
            unstarted_drops_panic: false,
            refuse: Refuse::Never,
        }
    }
}

struct Log {
    runs: Vec<AtomicUsize>,
    drops: Vec<AtomicUsize>,
    pulled: AtomicUsize,
}

struct Item<'a> {
    index: usize,
    log: &'a Log,
    panic_on_drop: bool,
    /// Panics when dropped unless an iteration started with it.
    panic_unstarted: bool,
}

impl Drop for Item<'_> {
    fn drop(&mut self) {
        self.log.drops[self.index].fetch_add(1, Ordering::SeqCst);
        if self.panic_unstarted {
            panic_any(Fault("unstarted drop"));
        }
        if self.panic_on_drop && !std::thread::panicking() {
            panic_any(Fault("item drop"));
        }
    }
}

/// An error whose `Drop` may panic.
#[derive(Debug)]
struct LoopError {
    index: usize,
    panic_on_drop: bool,
}

/// The `index` of the error a stopped loop returns.
const STOPPED: usize = usize::MAX;

impl From<Stopped> for LoopError {
    fn from(stopped: Stopped) -> Self {
        assert!(!stopped.timed_out(), "only a token stops these loops");
        LoopError {
            index: STOPPED,
            panic_on_drop: false,
        }
    }
}

impl Drop for LoopError {
    fn drop(&mut self) {
        if self.panic_on_drop && !std::thread::panicking() {
            panic_any(Fault("error drop"));
        }
    }
}

/// The error the body's `?` sees; converting it into `LoopError` may panic.
struct RawError {
    index: usize,
    panic_in_from: bool,
}

impl From<RawError> for LoopError {
    fn from(raw: RawError) -> Self {
        if raw.panic_in_from {
            panic_any(Fault("from"));
        }
        LoopError {
            index: raw.index,
            panic_on_drop: false,
        }
    }
}

/// Runs one loop with `faults` on every path that can have them, and checks the invariants
/// on each; returns how the loop ended, the same on every path.
fn run(len: usize, workers: usize, faults: Faults) -> Result<Result<(), usize>, Fault> {
    let mut outcomes = Path::ALL
        .into_iter()
        // An input split by index is collected first: a panic in its `next()` is not the
        // loop's.
        .filter(|&path| faults.input_panics_at.is_none() || path != Path::Indexed)
        .map(|path| (path, run_on(path, len, workers, faults)));
    let (_, first) = outcomes.next().expect("one path at least");
    for (path, outcome) in outcomes {
        // Which of two racing faults wins depends on timing (and an input split by index
        // holds every item from the start), so another path may end with another fault; but
        // only with one that was injected, and it succeeds exactly when the first did.
        let injected = match &outcome {
            Ok(Ok(())) => first == Ok(Ok(())),
            Ok(Err(at)) => {
                [
                    faults.fails_at,
                    faults.from_panics_at,
                    faults.error_drop_panics_at,
                    // The iteration that stops the loop fails too: one or the other is first.
                    faults.stops_at,
                ]
                .contains(&Some(*at))
                    || (*at == STOPPED && faults.stops_at.is_some())
            }
            Err(Fault(what)) => match *what {
                "next" => faults.input_panics_at.is_some(),
                "item drop" => faults.drop_panics_at.is_some(),
                "error drop" => faults.error_drop_panics_at.is_some(),
                "from" => faults.from_panics_at.is_some(),
                "after cancelled" => faults.panics_when_cancelled_at.is_some(),
                "unstarted drop" => faults.unstarted_drops_panic,
                _ => false,
            },
        };
        assert!(
            injected && (outcome == Ok(Ok(()))) == (first == Ok(Ok(()))),
            "{path:?} ended with {outcome:?}, the caller's path with {first:?} ({faults:?})"
        );
    }
    first
}

/// One loop on `path`, with the invariants checked.
fn run_on(
    path: Path,
    len: usize,
    workers: usize,
    faults: Faults,
) -> Result<Result<(), usize>, Fault> {
    let log = Log {
        runs: (0..len).map(|_| AtomicUsize::new(0)).collect(),
        drops: (0..len).map(|_| AtomicUsize::new(0)).collect(),
        pulled: AtomicUsize::new(0),
    };
    let running = Concurrency::default();
    let input = (0..len).map(|index| {
        if Some(index) == faults.input_panics_at {
            panic_any(Fault("next"));
        }
        log.pulled.fetch_add(1, Ordering::SeqCst);
        Item {
            index,
            log: &log,
            panic_on_drop: Some(index) == faults.drop_panics_at,
            panic_unstarted: faults.unstarted_drops_panic,
        }
    });
    let begin = Instant::now();
    let token = StopToken::new();
    refuse_thread_starts(faults.refuse);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let body = |mut item: Item<'_>| -> Result<(), LoopError> {
            item.panic_unstarted = false;
            let _running = running.enter();
            let index = item.index;
            log.runs[index].fetch_add(1, Ordering::SeqCst);
            // First: the item that stops has no other fault.
            if Some(index) == faults.stops_at {
                token.stop();
                // What an iteration that sees `cancelled()` does: its failure comes after the
                // stop, so the loop drops it and returns `Stopped`.
                assert!(cancelled(), "a stopped loop's iterations see cancelled()");
                Err(RawError {
                    index,
                    panic_in_from: false,
                })?;
            }
            if Some(index) == faults.panics_when_cancelled_at {
                while !cancelled() {
                    assert!(begin.elapsed() < HANG, "never cancelled");
                    std::thread::yield_now();
                }
                panic_any(Fault("after cancelled"));
            }
            if Some(index) == faults.error_drop_panics_at {
                return Err(LoopError {
                    index,
                    panic_on_drop: true,
                });
            }
            if let (true, Some(waiting)) = (
                Some(index) == faults.fails_at,
                faults.panics_when_cancelled_at,
            ) {
                // The failure comes once the item that waits for it runs: else it may end
                // the loop before that item starts (a slow thread start), and nothing panics.
                while log.runs[waiting].load(Ordering::SeqCst) == 0 {
                    assert!(begin.elapsed() < HANG, "the waiting item never started");
                    std::thread::yield_now();
                }
            }
            if Some(index) == faults.from_panics_at || Some(index) == faults.fails_at {
                Err(RawError {
                    index,
                    panic_in_from: Some(index) == faults.from_panics_at,
                })?;
            }
            Ok(())
        };
        match faults.stops_at {
            Some(_) => path.try_for_each_with(input, Loop::new(workers).stop(&token), body),
            None => path.try_for_each(input, workers, body),
        }
    }));
    let outcome = match result {
        Ok(Ok(())) => Ok(Ok(())),
        Ok(Err(mut error)) => {
            // The returned error is the caller's now; defuse it so the test can drop it.
            error.panic_on_drop = false;
            Ok(Err(error.index))
        }
        Err(payload) => Err(fault_of(payload)),
    };
    REFUSED.fetch_add(refused_thread_starts(), Ordering::SeqCst);
    refuse_thread_starts(Refuse::Never);

    assert_eq!(
        running.now(),
        0,
        "an iteration outlived the loop ({faults:?})"
    );
    assert!(running.max() <= workers);
    let pulled = log.pulled.load(Ordering::SeqCst);
    for index in 0..len {
        assert!(
            log.runs[index].load(Ordering::SeqCst) <= 1,
            "item {index} ran twice ({faults:?})"
        );
        let expected = usize::from(index < pulled);
        assert_eq!(
            log.drops[index].load(Ordering::SeqCst),
            expected,
            "item {index} drops ({faults:?})"
        );
    }
    if outcome == Ok(Ok(())) {
        assert_eq!(pulled, len, "a successful loop ran everything ({faults:?})");
    }
    if let Some(at) = faults.stops_at {
        // The stop is an exit like a failure: the stopping iteration's own failure, which
        // came after it, is never what the loop returns.
        assert_ne!(
            outcome,
            Ok(Err(at)),
            "the failure after the stop won ({faults:?})"
        );
        if log.runs[at].load(Ordering::SeqCst) == 1 && outcome == Ok(Err(STOPPED)) {
            assert!(token.is_stopped());
        }
    }
    outcome
}

#[test]
fn a_panic_in_next_at_any_point_resumes_with_its_payload() {
    let _threads = threads_needed();
    quiet_injected_panics();
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..scaled(200) {
        let at = rng.gen_range(0..50);
        let faults = Faults {
            input_panics_at: Some(at),
            ..Faults::default()
        };
        assert_eq!(run(50, rng.gen_range(1..6), faults), Err(Fault("next")));
    }
}

#[test]
fn a_panic_in_an_items_drop_cancels_the_loop_and_resumes() {
    let _threads = threads_needed();
    quiet_injected_panics();
    let faults = Faults {
        drop_panics_at: Some(7),
        ..Faults::default()
    };
    assert_eq!(run(40, 3, faults), Err(Fault("item drop")));
    // An item that is dropped unstarted, because the loop failed first, may panic too.
    let faults = Faults {
        drop_panics_at: Some(30),
        fails_at: Some(2),
        ..Faults::default()
    };
    let outcome = run(40, 1, faults);
    assert!(
        outcome == Ok(Err(2)) || outcome == Err(Fault("item drop")),
        "{outcome:?}"
    );
}

#[test]
fn a_panic_in_a_dropped_errors_drop_is_resumed() {
    let _threads = threads_needed();
    quiet_injected_panics();
    // Item 1's error is dropped because item 0 failed first (one worker: in order).
    let faults = Faults {
        fails_at: Some(0),
        error_drop_panics_at: Some(1),
        ..Faults::default()
    };
    assert_eq!(
        run(10, 1, faults),
        Ok(Err(0)),
        "item 1 never runs after item 0 failed"
    );
    // With two workers both may fail; the dropped error's panic then wins.
    for _ in 0..scaled(50) {
        let faults = Faults {
            fails_at: Some(0),
            error_drop_panics_at: Some(1),
            ..Faults::default()
        };
        let outcome = run(10, 2, faults);
        assert!(
            outcome == Ok(Err(0)) || outcome == Ok(Err(1)) || outcome == Err(Fault("error drop")),
            "{outcome:?}"
        );
    }
}

#[test]
fn a_panicking_from_conversion_is_a_panic_of_the_iteration() {
    let _threads = threads_needed();
    quiet_injected_panics();
    let faults = Faults {
        from_panics_at: Some(5),
        ..Faults::default()
    };
    assert_eq!(run(20, 4, faults), Err(Fault("from")));
}

#[test]
fn a_body_that_panics_after_seeing_cancelled_wins_over_the_error() {
    let _threads = threads_needed();
    quiet_injected_panics();
    let faults = Faults {
        panics_when_cancelled_at: Some(0),
        fails_at: Some(1),
        ..Faults::default()
    };
    assert_eq!(run(10, 2, faults), Err(Fault("after cancelled")));
}

#[test]
fn a_body_that_blocks_until_cancelled_is_released_by_a_failure() {
    let _threads = threads_needed();
    let running = Concurrency::default();
    let result = try_for_each(0..3, 3, |i| {
        let _running = running.enter();
        if i == 2 {
            wait_until("the two others block", || running.now() == 3);
            return Err(i);
        }
        let begin = Instant::now();
        while !cancelled() {
            assert!(begin.elapsed() < HANG, "blocked forever");
            std::thread::yield_now();
        }
        Ok(())
    });
    assert_eq!(result, Err(2));
}

/// 10,000 loops with random faults in one process: after each, the invariants hold and the
/// next loop works.
#[test]
fn ten_thousand_loops_with_random_faults() {
    let _refusing = refusing();
    quiet_injected_panics();
    let seed = seed("FAILFAST_FAULT_SEED");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut endings = [0usize; 4];
    let refused_before = REFUSED.load(Ordering::SeqCst);
    let loops = scaled(10_000);
    for n in 0..loops {
        let len = rng.gen_range(1..40);
        let mut point = |p| rng.gen_bool(p).then(|| rng.gen_range(0..len));
        let faults = Faults {
            input_panics_at: point(0.1),
            drop_panics_at: point(0.1),
            error_drop_panics_at: point(0.1),
            from_panics_at: point(0.1),
            fails_at: point(0.3),
            panics_when_cancelled_at: None,
            stops_at: point(0.2),
            unstarted_drops_panic: rng.gen_bool(0.1),
            refuse: match rng.gen_range(0..10) {
                0 => Refuse::Nth(rng.gen_range(1..4)),
                1 => Refuse::AllAfter(rng.gen_range(0..3)),
                _ => Refuse::Never,
            },
        };
        let workers = rng.gen_range(1..6);
        let outcome =
            catch_unwind(AssertUnwindSafe(|| run(len, workers, faults))).unwrap_or_else(|e| {
                panic!("loop {n} of seed {seed} broke an invariant with {faults:?}: {e:?}")
            });
        endings[match outcome {
            Ok(Ok(())) => 0,
            Ok(Err(STOPPED)) => 3,
            Ok(Err(_)) => 1,
            Err(_) => 2,
        }] += 1;
    }
    let refused = REFUSED.load(Ordering::SeqCst) - refused_before;
    println!(
        "{loops} faulty loops: {} succeeded, {} failed, {} stopped, {} panicked; {refused} thread starts refused",
        endings[0], endings[1], endings[3], endings[2]
    );
    assert!(endings[3] > 0, "no loop was stopped (seed {seed})");
    // A fifth of the loops refuse threads, each on two or three paths: about 2,200 starts
    // refused in 10,000 loops, so also Miri's 100 loops refuse some (about 22 expected).
    assert!(refused > 0, "no thread start was refused (seed {seed})");
    assert_eq!(
        try_for_each(0..100, 4, |_| Ok::<(), ()>(())),
        Ok(()),
        "the runtime still works"
    );
}

#[test]
fn items_dropped_unstarted_may_all_panic_while_a_panic_is_handled() {
    let _threads = threads_needed();
    quiet_injected_panics();
    let len = if cfg!(miri) { 10 } else { 40 };
    for path in Path::ALL {
        for workers in [1, 2, 4] {
            // After a failure: the first dropped item's panic wins over it.
            let faults = Faults {
                fails_at: Some(3),
                unstarted_drops_panic: true,
                ..Faults::default()
            };
            let outcome = run_on(path, len, workers, faults);
            assert!(
                outcome == Ok(Err(3)) || outcome == Err(Fault("unstarted drop")),
                "{path:?}, {workers} workers: {outcome:?}"
            );
            // After a panicking `next()`: that panic stays the first.
            if path != Path::Indexed {
                let faults = Faults {
                    input_panics_at: Some(len / 2),
                    unstarted_drops_panic: true,
                    ..Faults::default()
                };
                let outcome = run_on(path, len, workers, faults);
                assert_eq!(outcome, Err(Fault("next")), "{path:?}, {workers} workers");
            }
        }
    }
}

#[test]
fn loops_carry_on_when_thread_starts_are_refused() {
    let _refusing = refusing();
    quiet_injected_panics();
    let len = if cfg!(miri) { 10 } else { 60 };
    for refuse in [Refuse::Nth(1), Refuse::AllAfter(0), Refuse::AllAfter(2)] {
        let refused_before = REFUSED.load(Ordering::SeqCst);
        for workers in [2, 5] {
            let faults = Faults {
                refuse,
                ..Faults::default()
            };
            assert_eq!(run(len, workers, faults), Ok(Ok(())), "{refuse:?}");
            let faults = Faults {
                refuse,
                fails_at: Some(len / 2),
                unstarted_drops_panic: true,
                ..Faults::default()
            };
            let outcome = run(len, workers, faults);
            assert!(
                outcome == Ok(Err(len / 2)) || outcome == Err(Fault("unstarted drop")),
                "{refuse:?}: {outcome:?}"
            );
        }
        // Every loop asks for a thread when it starts, so the first start is refused for
        // certain; a third one only while the first two are busy, which items this fast
        // may not keep them.
        let refused = REFUSED.load(Ordering::SeqCst) - refused_before;
        if matches!(refuse, Refuse::Nth(1) | Refuse::AllAfter(0)) {
            assert!(refused > 0, "{refuse:?}: no thread start was refused");
        }
    }
}
