//! The runtime's headline promises, checked through `#[fail_fast]` as users write it.
use failfast::{cancelled, fail_fast};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// Generous bound that only catches a hang or a loop that waited for its whole input.
const HANG: Duration = Duration::from_secs(30);

#[derive(Debug, PartialEq)]
struct Failed(usize);

/// A failure that counts its own drops.
#[derive(Debug)]
struct CountedFailure<'a> {
    index: usize,
    dropped: &'a AtomicUsize,
}

impl Drop for CountedFailure<'_> {
    fn drop(&mut self) {
        self.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 4)]
fn first_of_four<'a>(
    dropped: &'a AtomicUsize,
    all_running: &Barrier,
) -> Result<(), CountedFailure<'a>> {
    for index in 0..4 {
        all_running.wait();
        if index != 1 {
            while !cancelled() {
                std::thread::yield_now();
            }
        }
        Err(CountedFailure { index, dropped })?;
    }
    Ok(())
}

#[test]
fn the_first_failure_is_returned_and_later_ones_dropped() {
    let dropped = AtomicUsize::new(0);
    let failure = first_of_four(&dropped, &Barrier::new(4)).expect_err("the loop fails");
    assert_eq!(failure.index, 1);
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        3,
        "the three later failures were dropped, once each"
    );
    drop(failure);
    assert_eq!(
        dropped.into_inner(),
        4,
        "the returned failure is the caller's to drop"
    );
}

/// How far an input was pulled, and how far ahead of the iterations started.
#[derive(Default)]
struct Pulls {
    pulled: AtomicUsize,
    started: AtomicUsize,
    most_ahead: AtomicUsize,
}

#[fail_fast(workers = 4)]
fn endless(pulls: &Pulls, started_after: &AtomicUsize) -> Result<(), Failed> {
    for i in (0..).inspect(|_| {
        let pulled = pulls.pulled.fetch_add(1, Ordering::SeqCst) + 1;
        let ahead = pulled - pulls.started.load(Ordering::SeqCst);
        pulls.most_ahead.fetch_max(ahead, Ordering::SeqCst);
    }) {
        pulls.started.fetch_add(1, Ordering::SeqCst);
        if cancelled() {
            started_after.fetch_add(1, Ordering::SeqCst);
        }
        if i == 500 {
            Err(Failed(i))?;
        }
    }
    Ok(())
}

// Until the failure is recorded, the other workers go on (a failing iteration that the
// system leaves waiting for a core lets them run far past it): what is bounded is how far
// the pulls run ahead of the iterations started, a batch of 64 for each worker at most (in
// all: one worker's hand is not told from another's), and what starts after the failure.
#[test]
fn an_endless_input_stops_at_the_failure_within_the_bounds() {
    let pulls = Pulls::default();
    let started_after = AtomicUsize::new(0);
    let begin = Instant::now();
    assert_eq!(endless(&pulls, &started_after), Err(Failed(500)));
    assert!(begin.elapsed() < HANG);
    let most_ahead = pulls.most_ahead.into_inner();
    assert!(
        most_ahead <= 64 * 4,
        "{most_ahead} items pulled ahead of the started ones: more than a batch of 64 for each of the 4 workers"
    );
    assert!(
        started_after.into_inner() <= 3,
        "more than workers - 1 started after the failure"
    );
}

#[fail_fast(workers = 4)]
fn slow_queue(ran: &AtomicUsize, all_running: &Barrier) -> Result<(), &'static str> {
    for i in 0..1_000 {
        ran.fetch_add(1, Ordering::SeqCst);
        if i < 4 {
            all_running.wait();
        }
        if i == 0 {
            Err("item 0")?;
        }
        if i < 4 {
            // A long iteration that polls, as the README says.
            let long = Instant::now();
            while !cancelled() && long.elapsed() < Duration::from_secs(60) {
                std::thread::sleep(Duration::from_millis(1));
            }
            continue;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    Ok(())
}

#[test]
fn running_iterations_see_cancelled_and_queued_ones_never_start() {
    let ran = AtomicUsize::new(0);
    let begin = Instant::now();
    assert_eq!(slow_queue(&ran, &Barrier::new(4)), Err("item 0"));
    assert!(
        begin.elapsed() < Duration::from_secs(10),
        "the loop waited for skipped work"
    );
    assert_eq!(ran.into_inner(), 4, "no queued item started");
}

#[fail_fast(workers = 3)]
fn panics_at(at: usize, running: &AtomicUsize) -> Result<(), usize> {
    for i in 0..100 {
        running.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_micros(200));
        if i == at {
            running.fetch_sub(1, Ordering::SeqCst);
            panic_any(Failed(i));
        }
        if i == at + 1 {
            running.fetch_sub(1, Ordering::SeqCst);
            Err(i)?;
        }
        running.fetch_sub(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn a_panic_resumes_on_the_caller_with_its_payload() {
    let running = AtomicUsize::new(0);
    let payload = catch_unwind(AssertUnwindSafe(|| panics_at(20, &running))).unwrap_err();
    assert_eq!(
        running.into_inner(),
        0,
        "the running iterations finished first"
    );
    assert_eq!(*payload.downcast::<Failed>().unwrap(), Failed(20));
    assert_eq!(
        panics_at(1_000, &AtomicUsize::new(0)),
        Ok(()),
        "the runtime still works"
    );
}

#[fail_fast(workers = 2)]
fn nested(
    inner_saw_cancel: &AtomicUsize,
    inner_started: &Mutex<usize>,
) -> Result<(), &'static str> {
    #[fail_fast]
    for outer in 0..2 {
        if outer == 1 {
            let begin = Instant::now();
            while *inner_started.lock().unwrap() < 2 {
                assert!(begin.elapsed() < HANG);
                std::thread::yield_now();
            }
            Err("outer 1")?;
        }
        #[fail_fast(workers = 2)]
        for _ in 0u64.. {
            *inner_started.lock().unwrap() += 1;
            let begin = Instant::now();
            while !cancelled() {
                assert!(
                    begin.elapsed() < HANG,
                    "the inner iteration never saw the outer failure"
                );
                std::thread::yield_now();
            }
            inner_saw_cancel.fetch_add(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

#[test]
fn nested_loops_inherit_the_outer_cancellation() {
    let inner_saw_cancel = AtomicUsize::new(0);
    let inner_started = Mutex::new(0);
    assert_eq!(nested(&inner_saw_cancel, &inner_started), Err("outer 1"));
    let started = inner_started.into_inner().unwrap();
    assert!(
        started <= 2 + 1,
        "{started} inner iterations: the endless inner loop kept starting"
    );
    assert_eq!(
        inner_saw_cancel.into_inner(),
        started,
        "every inner iteration saw the cancellation"
    );
}

/// Waits until the loop running this iteration is cancelled.
fn until_cancelled() {
    let begin = Instant::now();
    while !cancelled() {
        assert!(begin.elapsed() < HANG, "the loop was never cancelled");
        std::thread::yield_now();
    }
}

#[fail_fast(workers = 2)]
fn upload_batch(uploading: &AtomicUsize) -> Result<(), String> {
    for _file in 0u64.. {
        uploading.fetch_add(1, Ordering::SeqCst);
        until_cancelled();
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn upload_all(uploading: &AtomicUsize, committed: &AtomicUsize) -> Result<(), String> {
    for batch in 0..2 {
        if batch == 1 {
            let begin = Instant::now();
            while uploading.load(Ordering::SeqCst) < 2 {
                assert!(begin.elapsed() < HANG);
                std::thread::yield_now();
            }
            return Err("batch 1 failed".into());
        }
        upload_batch(uploading)?;
        // Never for a batch whose upload the failure of batch 1 cut short.
        committed.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn a_nested_loop_cut_short_leaves_its_iteration_rather_than_succeed() {
    let uploading = AtomicUsize::new(0);
    let committed = AtomicUsize::new(0);
    assert_eq!(
        upload_all(&uploading, &committed),
        Err("batch 1 failed".to_string())
    );
    assert_eq!(committed.into_inner(), 0, "a batch cut short was committed");
}

#[fail_fast(workers = 1)]
fn in_order(log: &Mutex<Vec<usize>>) -> Result<(), usize> {
    for i in 0..50 {
        log.lock().unwrap().push(i);
        if i == 20 || i == 30 {
            Err(i)?;
        }
    }
    Ok(())
}

#[test]
fn one_worker_is_the_sequential_loop() {
    let log = Mutex::new(Vec::new());
    assert_eq!(in_order(&log), Err(20));
    assert_eq!(log.into_inner().unwrap(), (0..=20).collect::<Vec<_>>());
}

/// The `workers` expression reads the input that the loop then moves: it is evaluated first.
#[fail_fast(workers = jobs.len().clamp(1, 8))]
fn one_worker_a_job(jobs: Vec<u32>, running: &std::sync::atomic::AtomicUsize) -> Result<(), ()> {
    for _ in jobs {
        running.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // Generous: the three run at once within microseconds.
        let waiting = std::time::Instant::now();
        while running.load(std::sync::atomic::Ordering::SeqCst) < 3
            && waiting.elapsed() < std::time::Duration::from_secs(20)
        {
            std::thread::yield_now();
        }
        if running.load(std::sync::atomic::Ordering::SeqCst) < 3 {
            return Err(());
        }
    }
    Ok(())
}

#[test]
fn a_workers_expression_reads_the_input_before_the_loop_moves_it() {
    let running = std::sync::atomic::AtomicUsize::new(0);
    assert_eq!(one_worker_a_job(vec![1, 2, 3], &running), Ok(()));
}

#[fail_fast(workers = n)]
fn runtime_workers(n: usize) -> Result<(), ()> {
    for _ in 0..3 {}
    Ok(())
}

const FOR_LOOP: u32 = line!() + 3;
#[fail_fast(workers = n)]
fn zero_for(items: &[u8], n: usize) -> Result<(), ()> {
    for _ in items {}
    Ok(())
}

const WHILE_LET_LOOP: u32 = line!() + 3;
#[fail_fast(workers = n)]
fn zero_while_let(items: &mut std::vec::IntoIter<u8>, n: usize) -> Result<(), ()> {
    while let Some(_) = items.next() {}
    Ok(())
}

const ASYNC_LOOP: u32 = line!() + 3;
#[fail_fast(workers = n)]
async fn zero_async(items: &[u8], n: usize) -> Result<(), ()> {
    for _ in items {
        std::future::ready(()).await;
    }
    Ok(())
}

#[test]
fn a_worker_count_of_zero_panics_at_the_loop() {
    // Where the panic says it happened: the contract puts it at the user's loop, not at the
    // attribute, which a location inside the expansion reports.
    let at = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = std::sync::Arc::clone(&at);
    // Other tests of this file may panic meanwhile, on their own threads.
    let this = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .unwrap_or_default();
        if message.contains("`workers` must be at least 1") && std::thread::current().id() == this {
            let location = info.location().expect("a panic has a location");
            let file = location.file().to_string();
            recorded.lock().unwrap().push((file, location.line()));
        }
    }));
    let for_loop = catch_unwind(|| zero_for(&[1], 0));
    let while_let = catch_unwind(|| zero_while_let(&mut vec![1].into_iter(), 0));
    let async_loop = catch_unwind(|| futures::executor::block_on(zero_async(&[1], 0)));
    drop(std::panic::take_hook());
    assert!(for_loop.is_err() && while_let.is_err() && async_loop.is_err());
    let here = file!().to_string();
    assert_eq!(
        *at.lock().unwrap(),
        [
            (here.clone(), FOR_LOOP),
            (here.clone(), WHILE_LET_LOOP),
            (here, ASYNC_LOOP)
        ]
    );
}

#[test]
fn a_runtime_worker_count_of_zero_panics_clearly() {
    assert_eq!(runtime_workers(2), Ok(()));
    let payload = catch_unwind(|| runtime_workers(0)).unwrap_err();
    let message = payload.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(
        message.contains("`workers` must be at least 1"),
        "{message}"
    );
}

/// Counts this iteration in and waits until `all` have arrived: only iterations that run at
/// the same time pass; one at a time, the first fails after `HANG`.
fn meet(arrived: &AtomicUsize, all: usize) -> Result<(), &'static str> {
    arrived.fetch_add(1, Ordering::SeqCst);
    let began = Instant::now();
    while arrived.load(Ordering::SeqCst) < all {
        if began.elapsed() > HANG {
            return Err("the iterations ran one at a time");
        }
        std::thread::yield_now();
    }
    Ok(())
}

/// Marked loops in a function and a method nested in the attributed function.
#[fail_fast(workers = 2)]
fn with_nested_functions(items: &[u32], arrived: &AtomicUsize) -> Result<(), &'static str> {
    // A tool's attribute, which cannot be `#[fail_fast]`.
    #[rustfmt::skip]
    fn helper(items: &[u32], arrived: &AtomicUsize) -> Result<(), &'static str> {
        #[fail_fast(workers = 2)]
        for _ in items {
            meet(arrived, 2)?;
        }
        Ok(())
    }
    struct Checker;
    impl Checker {
        fn check(&self, items: &[u32], arrived: &AtomicUsize) -> Result<(), &'static str> {
            #[fail_fast(workers = 2)]
            for _ in items {
                meet(arrived, 4)?;
            }
            Ok(())
        }
    }
    for item in items {
        if *item == 0 {
            return Err("zero");
        }
    }
    helper(items, arrived)?;
    Checker.check(items, arrived)
}

#[test]
fn marked_loops_of_nested_functions_run_in_parallel() {
    let arrived = AtomicUsize::new(0);
    assert_eq!(with_nested_functions(&[1, 2], &arrived), Ok(()));
    assert_eq!(arrived.load(Ordering::SeqCst), 4);
    assert_eq!(
        with_nested_functions(&[1, 0], &AtomicUsize::new(0)),
        Err("zero")
    );
}

/// `fail_fast` under other names, as a crate's prelude may give it.
mod aliases {
    pub use failfast::fail_fast as parallel;
}
use aliases::parallel;

/// Deeper: a marked loop in a function nested in one that has none, and nested functions with
/// an attribute of their own, under another name, whose unmarked loops stay sequential (a
/// second attribute would take them for the loops to run in parallel, and refuse their `+=`).
#[fail_fast(workers = 2)]
fn with_deeper_functions(items: &[u32], arrived: &AtomicUsize) -> Result<u32, &'static str> {
    fn child(items: &[u32], arrived: &AtomicUsize) -> Result<u32, &'static str> {
        fn grandchild(items: &[u32], arrived: &AtomicUsize) -> Result<(), &'static str> {
            #[fail_fast(workers = 2)]
            for _ in items {
                meet(arrived, 2)?;
            }
            Ok(())
        }
        grandchild(items, arrived)?;
        let mut total = 0;
        for item in items {
            total += item;
        }
        Ok(total)
    }
    #[parallel(workers = 2)]
    fn renamed(items: &[u32], arrived: &AtomicUsize) -> Result<u32, &'static str> {
        let mut total = 0;
        for item in items {
            total += item;
        }
        #[fail_fast]
        for _ in items {
            meet(arrived, 4)?;
        }
        Ok(total)
    }
    #[aliases::parallel(workers = 2)]
    fn by_path(items: &[u32], arrived: &AtomicUsize) -> Result<u32, &'static str> {
        let mut total = 0;
        for item in items {
            total += item;
        }
        #[fail_fast]
        for _ in items {
            meet(arrived, 6)?;
        }
        Ok(total)
    }
    for item in items {
        if *item == 0 {
            return Err("zero");
        }
    }
    Ok(child(items, arrived)? + renamed(items, arrived)? + by_path(items, arrived)?)
}

#[test]
fn functions_nested_deeper_and_attributed_under_another_name_keep_their_loops() {
    let arrived = AtomicUsize::new(0);
    assert_eq!(with_deeper_functions(&[1, 2], &arrived), Ok(9));
    assert_eq!(arrived.load(Ordering::SeqCst), 6);
}

/// A `?` that an `include!` pastes into the body: the loop may end early though no `?` is in
/// sight, and fails as the sequential loop would.
#[fail_fast(workers = 2)]
fn parsed(words: &[&str], total: &AtomicUsize) -> Result<(), std::num::ParseIntError> {
    for word in words {
        let n: usize = include!("parse_word.in");
        total.fetch_add(n, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn a_question_mark_an_include_pastes_fails_the_loop() {
    let total = AtomicUsize::new(0);
    assert_eq!(parsed(&["1", "2"], &total), Ok(()));
    assert_eq!(total.load(Ordering::SeqCst), 3);
    assert!(parsed(&["1", "x", "3"], &total).is_err());
}
