//! Pulled = started: the head is evaluated only when an iteration can start with its value.

/// Thread loops.
mod threads {
    use crate::Running;
    use failfast::fail_fast;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Duration;

    struct Counting<'a> {
        next: u32,
        pulled: &'a AtomicUsize,
        running: &'a Running,
        full_when_pulled: &'a AtomicBool,
    }

    impl Counting<'_> {
        fn next(&mut self) -> Option<u32> {
            if self.running.now.load(Ordering::SeqCst) >= 3 {
                self.full_when_pulled.store(true, Ordering::SeqCst);
            }
            self.pulled.fetch_add(1, Ordering::SeqCst);
            self.next += 1;
            Some(self.next)
        }
    }

    #[fail_fast(workers = 3)]
    fn counted(
        mut head: Counting<'_>,
        started: &AtomicUsize,
        running: &Running,
    ) -> Result<(), u32> {
        while let Some(n) = head.next() {
            running.enter();
            started.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_micros(300));
            running.leave();
            if n == 40 {
                return Err(n);
            }
        }
        Ok(())
    }

    #[test]
    fn every_value_pulled_starts_an_iteration_in_a_free_slot() {
        let (pulled, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let (running, full) = (Running::default(), AtomicBool::new(false));
        let head = Counting {
            next: 0,
            pulled: &pulled,
            running: &running,
            full_when_pulled: &full,
        };
        assert_eq!(counted(head, &started, &running), Err(40));
        assert!(
            !full.into_inner(),
            "the head was evaluated with every slot busy"
        );
        let (pulled, started) = (pulled.into_inner(), started.into_inner());
        // Values pulled as the failure came may not start: at most one per other worker.
        assert!(
            started <= pulled && pulled - started < 3,
            "{pulled} {started}"
        );
    }
}

/// Async loops.
mod tasks {
    use crate::InFlight;
    use failfast::fail_fast;
    use std::cell::Cell;

    #[fail_fast(workers = 3)]
    async fn counted(
        pulled: &Cell<u32>,
        started: &Cell<u32>,
        flight: &InFlight,
    ) -> Result<(), u32> {
        let next = || async {
            tokio::task::yield_now().await;
            // Evaluated only with a slot free.
            assert!(flight.now.get() < 3, "the head ran with every slot busy");
            pulled.set(pulled.get() + 1);
            Some(pulled.get())
        };
        while let Some(n) = next().await {
            flight.now.set(flight.now.get() + 1);
            started.set(started.get() + 1);
            tokio::task::yield_now().await;
            flight.now.set(flight.now.get() - 1);
            if n == 20 {
                return Err(n);
            }
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn every_value_pulled_starts_an_iteration() {
        let (pulled, started, flight) = (Cell::new(0), Cell::new(0), InFlight::default());
        assert_eq!(counted(&pulled, &started, &flight).await, Err(20));
        assert_eq!(
            pulled.get(),
            started.get(),
            "a value was pulled and never started"
        );
    }
}
