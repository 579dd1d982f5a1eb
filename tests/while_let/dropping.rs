//! Dropping an async loop's future drops the head future in progress and the iterations. (A
//! thread loop cannot be dropped while it runs.)

/// Async loops.
mod tasks {
    use crate::Flag;
    use failfast::fail_fast;
    use std::cell::Cell;
    use std::time::Duration;

    #[fail_fast(workers = 4)]
    async fn never_ending(
        head_dropped: &Cell<usize>,
        iterations_dropped: &Cell<usize>,
    ) -> Result<(), ()> {
        let mut given = 0;
        let mut next = async || {
            given += 1;
            if given <= 2 {
                return Some(given);
            }
            let _flag = Flag(head_dropped);
            std::future::pending::<Option<u32>>().await
        };
        while let Some(_n) = next().await {
            let _flag = Flag(iterations_dropped);
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn dropping_the_loop_drops_the_head_and_the_iterations() {
        let (head_dropped, iterations_dropped) = (Cell::new(0), Cell::new(0));
        let looped = never_ending(&head_dropped, &iterations_dropped);
        let timed_out = tokio::time::timeout(Duration::from_millis(20), looped).await;
        assert!(timed_out.is_err());
        assert_eq!(iterations_dropped.get(), 2);
        assert_eq!(
            head_dropped.get(),
            1,
            "the head in progress was dropped too"
        );
    }
}
