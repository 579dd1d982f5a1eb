//! A panic whose payload panics as it is dropped, and whose second payload panics again,
//! never hangs nor aborts a loop that had panicked already: the first panic resumes on the
//! caller, whichever thread ran the iterations that panicked later, the caller's own (which
//! works on a slice's items too) or a pool thread. (Before, the second payload's panic
//! unwound out of the visit that recorded it, which then never left its run: the caller
//! waited forever.)
use failfast::fail_fast;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Once};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// Generous bound for "this must not hang"; never a measure of speed.
const HANG: Duration = Duration::from_secs(60);

/// Panics when dropped.
struct Panics;
impl Drop for Panics {
    fn drop(&mut self) {
        std::panic::panic_any(PanicsAgain);
    }
}

/// Panics again when dropped.
struct PanicsAgain;
impl Drop for PanicsAgain {
    fn drop(&mut self) {
        panic!("the second payload's drop");
    }
}

/// The injected panics' messages stay out of the test's output.
fn quiet() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let injected = payload.is::<Panics>()
                || payload.is::<PanicsAgain>()
                || payload
                    .downcast_ref::<&str>()
                    .is_some_and(|m| *m == "first" || *m == "the second payload's drop");
            if !injected {
                previous(info);
            }
        }));
    });
}

/// Items on the threads `late_on` picks panic with [`Panics`], late; the others panic with
/// "first" as soon as one of those has started (or after a while).
#[fail_fast(workers = 4)]
fn run(items: &[u32], late: &AtomicUsize, late_on: &(dyn Fn() -> bool + Sync)) -> Result<(), ()> {
    for &i in items {
        if late_on() {
            late.fetch_add(1, Ordering::SeqCst);
            // Later than the first panic's recording, which cancels the loop: these lose to it.
            // (A 20 ms sleep here lost the race once, on a loaded machine.)
            let waiting = Instant::now();
            while !failfast::cancelled() && waiting.elapsed() < HANG {
                std::thread::yield_now();
            }
            std::panic::panic_any(Panics);
        }
        let waiting = Instant::now();
        while late.load(Ordering::SeqCst) == 0 && waiting.elapsed() < Duration::from_secs(5) {
            std::thread::yield_now();
        }
        let _ = i;
        panic!("first");
    }
    Ok(())
}

/// 20 rounds of [`run`], the late panics on the caller or on pool threads; how many there
/// were.
fn rounds(on_caller: bool) -> usize {
    quiet();
    let mut late_panics = 0;
    for round in 0..20 {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let caller: ThreadId = std::thread::current().id();
            let late_on = move || (std::thread::current().id() == caller) == on_caller;
            let late = AtomicUsize::new(0);
            let items: Vec<u32> = (0..64).collect();
            let result = catch_unwind(AssertUnwindSafe(|| run(&items, &late, &late_on)));
            let payload = result
                .err()
                .map(|payload| match payload.downcast::<&str>() {
                    Ok(message) => message.to_string(),
                    Err(other) => {
                        std::mem::forget(other);
                        "another payload".to_string()
                    }
                });
            let _ = done.send((payload, late.load(Ordering::SeqCst)));
        });
        let (payload, late) = finished
            .recv_timeout(HANG)
            .unwrap_or_else(|_| panic!("round {round}: the loop hung"));
        assert_eq!(payload.as_deref(), Some("first"), "round {round}");
        late_panics += late;
    }
    late_panics
}

#[test]
fn payloads_that_panic_as_they_drop_on_the_caller_lose_to_the_first_panic() {
    // The rounds had later panics to lose (else they checked nothing).
    assert!(rounds(true) >= 10);
}

#[test]
fn payloads_that_panic_as_they_drop_on_pool_threads_lose_to_the_first_panic() {
    assert!(rounds(false) >= 10);
}
