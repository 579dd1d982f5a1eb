//! The limit: never more than `workers` iterations at once while values come from the head,
//! also in a recursion (which shares one limit).

/// Thread loops.
mod threads {
    use crate::{wait_until, Running};
    use failfast::fail_fast;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    #[fail_fast(workers = 4)]
    fn gated(jobs: &mpsc::Receiver<u32>, running: &Running, open: &AtomicBool) -> Result<(), ()> {
        while let Ok(_job) = jobs.recv() {
            running.enter();
            wait_until("the gate opens", || open.load(Ordering::SeqCst));
            running.leave();
        }
        Ok(())
    }

    #[test]
    fn the_limit_holds_while_values_come_from_a_channel() {
        let (tx, rx) = mpsc::channel();
        for job in 0..40 {
            tx.send(job).unwrap();
        }
        drop(tx);
        let (running, open) = (Running::default(), AtomicBool::new(false));
        let (running, open) = (&running, &open);
        std::thread::scope(|s| {
            let looped = s.spawn(move || gated(&rx, running, open));
            // Only `workers` iterations together get past this point: the gate is closed.
            wait_until("4 iterations run", || {
                running.now.load(Ordering::SeqCst) == 4
            });
            std::thread::sleep(Duration::from_millis(50));
            assert_eq!(running.now.load(Ordering::SeqCst), 4, "a fifth started");
            open.store(true, Ordering::SeqCst);
            assert_eq!(looped.join().unwrap(), Ok(()));
        });
        assert_eq!(running.most.load(Ordering::SeqCst), 4);
    }

    /// A directory-like walk: each level's `while let` takes its children from its own list,
    /// and recursion reaches the same loop again, which shares one limit.
    #[fail_fast(workers = 3)]
    fn walk(depth: u32, running: &Running, leaves: &AtomicUsize) -> Result<(), ()> {
        let mut children = vec![0, 1, 2];
        while let Some(_child) = children.pop() {
            if depth == 3 {
                running.enter();
                std::thread::sleep(Duration::from_micros(300));
                leaves.fetch_add(1, Ordering::SeqCst);
                running.leave();
            } else {
                walk(depth + 1, running, leaves)?;
            }
        }
        Ok(())
    }

    #[test]
    fn recursion_shares_one_limit() {
        let (running, leaves) = (Running::default(), AtomicUsize::new(0));
        assert_eq!(walk(0, &running, &leaves), Ok(()));
        assert_eq!(leaves.into_inner(), 81);
        assert!(running.most.into_inner() <= 3);
    }
}

/// Async loops.
mod tasks {
    use crate::{InFlight, HANG};
    use failfast::fail_fast;
    use std::task::Poll;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 4)]
    async fn gated(jobs: &mut mpsc::UnboundedReceiver<u32>, flight: &InFlight) -> Result<(), ()> {
        while let Some(_job) = jobs.recv().await {
            flight.now.set(flight.now.get() + 1);
            flight.most.set(flight.most.get().max(flight.now.get()));
            flight.arrived.set(flight.arrived.get() + 1);
            // Each group of 4 waits until all 4 have arrived: with fewer at once, this hangs.
            let target = flight.arrived.get().div_ceil(4) * 4;
            std::future::poll_fn(|cx| {
                if flight.arrived.get() >= target {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
            .await;
            flight.now.set(flight.now.get() - 1);
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_limit_holds_while_values_come_from_a_channel() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for job in 0..40 {
            tx.send(job).unwrap();
        }
        drop(tx);
        let flight = InFlight::default();
        let looped = tokio::time::timeout(HANG, gated(&mut rx, &flight)).await;
        assert_eq!(looped.expect("fewer than 4 at once"), Ok(()));
        assert_eq!((flight.most.get(), flight.arrived.get()), (4, 40));
    }
}
