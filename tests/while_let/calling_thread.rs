//! Thread loops evaluate the head on the calling thread. (An async loop polls it from its own
//! future: see `head_awaited`.)

/// Thread loops.
mod threads {

    use failfast::fail_fast;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::thread::ThreadId;

    #[fail_fast(workers = 4)]
    fn where_heads_run(
        mut left: u32,
        heads: &Mutex<Vec<ThreadId>>,
        bodies: &AtomicUsize,
    ) -> Result<(), ()> {
        let mut next = || {
            heads.lock().unwrap().push(std::thread::current().id());
            left = left.checked_sub(1)?;
            Some(left)
        };
        while let Some(_n) = next() {
            bodies.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    #[test]
    fn the_head_runs_on_the_calling_thread() {
        let (heads, bodies) = (Mutex::new(Vec::new()), AtomicUsize::new(0));
        assert_eq!(where_heads_run(30, &heads, &bodies), Ok(()));
        let heads = heads.into_inner().unwrap();
        assert_eq!(
            heads.len(),
            31,
            "30 values, then the `None` that ends the loop"
        );
        assert!(heads.iter().all(|&id| id == std::thread::current().id()));
        assert_eq!(bodies.into_inner(), 30);
    }
}
