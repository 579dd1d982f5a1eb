//! Async loops await the head while the iterations run, not between them. (A thread loop
//! evaluates it on the calling thread while the pool runs them: see `calling_thread`.)

/// Async loops.
mod tasks {
    use crate::HANG;
    use failfast::fail_fast;
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    /// A paginated listing, 2 keys a page: the first page's keys finish only once the second page
    /// is being fetched, which hangs if the head is awaited only between iterations.
    #[fail_fast(workers = 8)]
    async fn paginated(
        fetching: &Cell<u32>,
        page_one: &tokio::sync::Notify,
    ) -> Result<Vec<u32>, ()> {
        let keys = RefCell::new(Vec::new());
        let mut buffered: Vec<u32> = Vec::new();
        let mut next_key = async || -> Option<u32> {
            if buffered.is_empty() {
                let page = fetching.get();
                if page == 3 {
                    return None;
                }
                fetching.set(page + 1);
                if page == 1 {
                    page_one.notify_waiters();
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                buffered = vec![page * 2 + 1, page * 2];
            }
            buffered.pop()
        };
        while let Some(key) = next_key().await {
            if key < 2 && fetching.get() < 2 {
                page_one.notified().await;
            }
            keys.borrow_mut().push(key);
        }
        let mut keys = keys.into_inner();
        keys.sort_unstable();
        Ok(keys)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_head_is_awaited_while_the_iterations_run() {
        let (fetching, page_one) = (Cell::new(0), tokio::sync::Notify::new());
        let looped = tokio::time::timeout(HANG, paginated(&fetching, &page_one)).await;
        assert_eq!(
            looped.expect("the next page was not fetched while the keys ran"),
            Ok(vec![0, 1, 2, 3, 4, 5])
        );
    }
}
