//! An async loop runs exactly `workers` iterations at once when enough items are ready, never
//! more, and pulls an item only when an iteration can start with it.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Waits until `n` iterations have arrived: only reachable if `n` run at once.
struct Gate {
    arrived: Cell<usize>,
    in_flight: Cell<usize>,
    most: Cell<usize>,
}

#[fail_fast(workers = 4)]
async fn run(items: impl Iterator<Item = usize>, gate: &Gate) -> Result<(), String> {
    for _item in items {
        gate.in_flight.set(gate.in_flight.get() + 1);
        gate.most.set(gate.most.get().max(gate.in_flight.get()));
        gate.arrived.set(gate.arrived.get() + 1);
        let target = gate.arrived.get().div_ceil(4) * 4;
        // Every group of 4 waits until all 4 have arrived: with fewer at once, this hangs.
        futures::future::poll_fn(|cx| {
            if gate.arrived.get() >= target {
                std::task::Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        })
        .await;
        gate.in_flight.set(gate.in_flight.get() - 1);
    }
    Ok(())
}

#[test]
fn exactly_workers_run_at_once() {
    let gate = Gate {
        arrived: Cell::new(0),
        in_flight: Cell::new(0),
        most: Cell::new(0),
    };
    let pulled = AtomicUsize::new(0);
    let items = (0..40).inspect(|_| {
        pulled.fetch_add(1, Ordering::SeqCst);
    });
    futures::executor::block_on(run(items, &gate)).unwrap();
    assert_eq!(gate.most.get(), 4, "exactly 4 at once, never more");
    assert_eq!(gate.arrived.get(), 40);
    assert_eq!(pulled.into_inner(), 40);
}

#[fail_fast(workers = 3)]
async fn pulled_equals_started(
    items: impl Iterator<Item = usize>,
    started: &AtomicUsize,
) -> Result<(), usize> {
    for item in items {
        started.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        if item == 10 {
            return Err(item);
        }
    }
    Ok(())
}

#[tokio::test]
async fn nothing_is_pulled_ahead_of_an_iteration_that_starts() {
    let pulled = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    // Endless input: the loop must stop at the failure, not at the end.
    let items = (0..).inspect(|_| {
        pulled.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(pulled_equals_started(items, &started).await, Err(10));
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        started.load(Ordering::SeqCst),
        "every item pulled started an iteration"
    );
    assert!(
        started.load(Ordering::SeqCst) <= 13,
        "at most workers past the failure"
    );
}

#[test]
fn workers_zero_from_an_expression_panics_with_a_clear_message() {
    #[fail_fast(workers = zero())]
    async fn zero_workers(items: &[u8]) -> Result<(), ()> {
        for _item in items {
            std::future::ready(()).await;
        }
        Ok(())
    }
    fn zero() -> usize {
        0
    }
    let panic = std::panic::catch_unwind(|| futures::executor::block_on(zero_workers(&[1])))
        .expect_err("workers = 0 panics");
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(
        message.contains("`workers` must be at least 1"),
        "{message}"
    );
}

#[test]
fn the_async_runtime_api_refuses_zero_workers_where_it_is_called() {
    // When the function is called, before its future is polled, at the caller's line, as
    // the thread API and `future::Loop::new` do: not at a line of the library when an
    // executor first polls it.
    let at = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = std::sync::Arc::clone(&at);
    let this = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload().downcast_ref::<String>().cloned();
        let message = message
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if message.contains("`workers` must be at least 1") && std::thread::current().id() == this {
            let location = info.location().expect("a panic has a location");
            recorded
                .lock()
                .unwrap()
                .push((location.file().to_string(), location.line()));
        }
    }));
    use failfast::future::{try_for_each, try_for_each_stream, try_map, try_map_stream};
    use futures::stream::iter;
    async fn each(_: u32) -> Result<(), ()> {
        Ok(())
    }
    async fn map(n: u32) -> Result<u32, ()> {
        Ok(n)
    }
    // Each call alone on the line after `line!()`.
    let calls: [(u32, fn()); 4] = [
        (line!() + 1, || {
            drop(try_for_each(0..3, 0, each));
        }),
        (line!() + 1, || {
            drop(try_map(0..3, 0, map));
        }),
        (line!() + 1, || {
            drop(try_for_each_stream(iter(0..3), 0, each));
        }),
        (line!() + 1, || {
            drop(try_map_stream(iter(0..3), 0, map));
        }),
    ];
    let mut expected = Vec::new();
    for (line, call) in calls {
        assert!(std::panic::catch_unwind(call).is_err(), "line {line}");
        expected.push((file!().to_string(), line));
    }
    drop(std::panic::take_hook());
    assert_eq!(*at.lock().unwrap(), expected);
}
