//! `workers = 1` is the sequential `while let`, in order.

/// Thread loops.
mod threads {

    use failfast::fail_fast;
    use std::sync::Mutex;

    #[fail_fast(workers = 1)]
    fn in_order(mut stack: Vec<u32>, seen: &Mutex<Vec<u32>>) -> Result<Vec<u32>, u32> {
        while let Some(n) = stack.pop() {
            seen.lock().unwrap().push(n);
            if n == 5 {
                return Err(n);
            }
        }
        Ok(stack)
    }

    #[test]
    fn one_worker_is_the_sequential_while_let() {
        let seen = Mutex::new(Vec::new());
        assert_eq!(in_order((0..10).collect(), &seen), Err(5));
        assert_eq!(seen.into_inner().unwrap(), vec![9, 8, 7, 6, 5]);
    }
}

/// Async loops.
mod tasks {

    use failfast::fail_fast;
    use std::cell::RefCell;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 1)]
    async fn in_order(
        jobs: &mut mpsc::UnboundedReceiver<u32>,
        seen: &RefCell<Vec<u32>>,
    ) -> Result<(), u32> {
        while let Some(n) = jobs.recv().await {
            tokio::task::yield_now().await;
            seen.borrow_mut().push(n);
            if n == 5 {
                return Err(n);
            }
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn one_worker_is_the_sequential_while_let() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for n in 0..10 {
            tx.send(n).unwrap();
        }
        let seen = RefCell::new(Vec::new());
        assert_eq!(in_order(&mut rx, &seen).await, Err(5));
        assert_eq!(seen.into_inner(), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(rx.try_recv(), Ok(6), "nothing taken after the failure");
    }
}
