//! `return` in the body leaves the function as in a `for` loop, with the value of the first
//! `return` (here past a `continue`; `continue` alone: `early_continue`).

/// Thread loops.
mod threads {

    use failfast::fail_fast;
    use std::sync::Mutex;

    #[fail_fast(workers = 4)]
    fn first_odd_square(numbers: &Mutex<Vec<u32>>) -> Result<Option<u32>, ()> {
        while let Some(n) = numbers.lock().unwrap().pop() {
            if n % 2 == 0 {
                continue;
            }
            return Ok(Some(n * n));
        }
        Ok(None)
    }

    #[test]
    fn return_and_continue_work_as_in_a_for_loop() {
        let numbers = Mutex::new(vec![2, 4, 7, 6]);
        assert_eq!(first_odd_square(&numbers), Ok(Some(49)));
        let evens = Mutex::new(vec![2, 4, 6]);
        assert_eq!(first_odd_square(&evens), Ok(None));
    }
}

/// Async loops.
mod tasks {

    use failfast::fail_fast;
    use tokio::sync::mpsc;

    #[fail_fast(workers = 4)]
    async fn first_odd_square(
        numbers: &mut mpsc::UnboundedReceiver<u32>,
    ) -> Result<Option<u32>, ()> {
        while let Some(n) = numbers.recv().await {
            tokio::task::yield_now().await;
            if n % 2 == 0 {
                continue;
            }
            return Ok(Some(n * n));
        }
        Ok(None)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn return_and_continue_work_as_in_a_for_loop() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        for n in [2, 4, 7, 6] {
            tx.send(n).unwrap();
        }
        drop(tx);
        assert_eq!(first_odd_square(&mut rx).await, Ok(Some(49)));
        let (tx, mut rx) = mpsc::unbounded_channel();
        for n in [2, 4, 6] {
            tx.send(n).unwrap();
        }
        drop(tx);
        assert_eq!(first_odd_square(&mut rx).await, Ok(None));
    }
}
