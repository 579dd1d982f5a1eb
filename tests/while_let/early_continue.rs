//! `continue` in the body ends that iteration only, as in a `for` loop: the loop goes on
//! pulling and running the other values.

/// Thread loops.
mod threads {
    use failfast::fail_fast;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[fail_fast(workers = 4)]
    fn count_odd(numbers: &Mutex<Vec<u32>>, reached: &AtomicUsize) -> Result<(), ()> {
        while let Some(n) = numbers.lock().unwrap().pop() {
            if n % 2 == 0 {
                continue;
            }
            reached.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    #[test]
    fn continue_skips_the_rest_of_one_iteration() {
        let numbers = Mutex::new((0..40).collect());
        let reached = AtomicUsize::new(0);
        assert_eq!(count_odd(&numbers, &reached), Ok(()));
        assert_eq!(reached.into_inner(), 20, "odd numbers past the `continue`");
        assert!(
            numbers.into_inner().unwrap().is_empty(),
            "every value pulled"
        );
    }
}

/// Async loops.
mod tasks {
    use failfast::fail_fast;
    use std::cell::Cell;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 4)]
    async fn count_odd(
        numbers: &mut mpsc::UnboundedReceiver<u32>,
        reached: &Cell<usize>,
    ) -> Result<(), ()> {
        while let Some(n) = numbers.recv().await {
            tokio::task::yield_now().await;
            if n % 2 == 0 {
                continue;
            }
            reached.set(reached.get() + 1);
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn continue_skips_the_rest_of_one_iteration() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for n in 0..40 {
            tx.send(n).unwrap();
        }
        drop(tx);
        let reached = Cell::new(0);
        assert_eq!(count_odd(&mut rx, &reached).await, Ok(()));
        assert_eq!(reached.get(), 20, "odd numbers past the `continue`");
        assert!(rx.is_empty(), "every value pulled");
    }
}
