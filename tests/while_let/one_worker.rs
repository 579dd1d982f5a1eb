//! `workers = 1` is the sequential `while let`, in order, and drops what the pattern does not
//! bind (`_`, `..`) after the body, as the sequential loop does.

use std::sync::Mutex;

/// Logs its drop.
struct Noisy<'a>(u32, &'a Mutex<Vec<String>>);

impl Drop for Noisy<'_> {
    fn drop(&mut self) {
        self.1.lock().unwrap().push(format!("drop {}", self.0));
    }
}

/// What the sequential loop logs: each body, then the part of its item the pattern left.
fn sequential_order(items: &[u32]) -> Vec<String> {
    items
        .iter()
        .flat_map(|n| [format!("body {n}"), format!("drop {n}")])
        .collect()
}

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

    #[fail_fast(workers = 1)]
    fn logged(items: Vec<(u32, super::Noisy<'_>)>, log: &Mutex<Vec<String>>) -> Result<(), String> {
        let mut items = items.into_iter();
        while let Some((n, _)) = items.next() {
            log.lock().unwrap().push(format!("body {n}"));
        }
        Ok(())
    }

    #[test]
    fn what_the_pattern_leaves_is_dropped_after_the_body() {
        let log = Mutex::new(Vec::new());
        let items = (1..=3).map(|n| (n, super::Noisy(n, &log))).collect();
        assert_eq!(logged(items, &log), Ok(()));
        assert_eq!(
            log.into_inner().unwrap(),
            super::sequential_order(&[1, 2, 3])
        );
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

    #[fail_fast(workers = 1)]
    async fn logged(
        items: Vec<(u32, super::Noisy<'_>)>,
        log: &std::sync::Mutex<Vec<String>>,
    ) -> Result<(), String> {
        let mut items = items.into_iter();
        while let Some((n, _)) = items.next() {
            tokio::task::yield_now().await;
            log.lock().unwrap().push(format!("body {n}"));
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn what_the_pattern_leaves_is_dropped_after_the_body() {
        let log = std::sync::Mutex::new(Vec::new());
        let items = (1..=3).map(|n| (n, super::Noisy(n, &log))).collect();
        assert_eq!(logged(items, &log).await, Ok(()));
        assert_eq!(
            log.into_inner().unwrap(),
            super::sequential_order(&[1, 2, 3])
        );
    }
}
