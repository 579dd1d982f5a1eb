//! What an async loop's body may be: borrowing locals and `&self`, `return`, `Option`,
//! `continue`, a `()` function, and no `Send` needed of what it holds.
use failfast::fail_fast;
use std::cell::RefCell;
use std::rc::Rc;

struct Index {
    names: Vec<String>,
}

impl Index {
    #[fail_fast(workers = 3)]
    async fn find(&self, wanted: &str) -> Option<usize> {
        for (position, name) in self.names.iter().enumerate() {
            tokio::task::yield_now().await;
            if name == wanted {
                return Some(position);
            }
        }
        None
    }

    #[fail_fast(workers = 2)]
    async fn lengths(&self) -> Option<usize> {
        let total = RefCell::new(0); // not `Sync`: fine, everything runs on this task
        for name in &self.names {
            if name.is_empty() {
                continue;
            }
            let shared = Rc::new(name.len()); // not `Send`, held across an await
            tokio::task::yield_now().await;
            let length = (*shared > 0).then_some(*shared)?;
            *total.borrow_mut() += length;
        }
        Some(total.into_inner())
    }

    #[fail_fast(workers = 2)]
    async fn print_all(&self, printed: &RefCell<Vec<String>>) {
        for name in &self.names {
            tokio::task::yield_now().await;
            if name == "stop" {
                return;
            }
            printed.borrow_mut().push(name.clone());
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn bodies_borrow_self_and_locals_and_return_early() {
    let index = Index {
        names: ["a", "", "bb", "ccc"].map(String::from).to_vec(),
    };
    assert_eq!(index.find("bb").await, Some(2));
    assert_eq!(index.find("zz").await, None);
    assert_eq!(index.lengths().await, Some(6));
    let printed = RefCell::new(Vec::new());
    index.print_all(&printed).await;
    assert_eq!(printed.into_inner().len(), 4);
    let stopping = Index {
        names: ["stop"].map(String::from).to_vec(),
    };
    let printed = RefCell::new(Vec::new());
    stopping.print_all(&printed).await;
    assert!(printed.into_inner().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn one_worker_is_the_sequential_loop() {
    #[fail_fast(workers = 1)]
    async fn first_big(values: &[u32], seen: &RefCell<Vec<u32>>) -> Result<Option<u32>, String> {
        for &value in values {
            tokio::task::yield_now().await;
            seen.borrow_mut().push(value);
            if value > 10 {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }
    let seen = RefCell::new(Vec::new());
    assert_eq!(first_big(&[1, 2, 30, 4, 50], &seen).await, Ok(Some(30)));
    assert_eq!(
        seen.into_inner(),
        vec![1, 2, 30],
        "in order, nothing after the return"
    );
}

/// An `Rc` of the function, which the loop lends its iterations as it lends any other local
/// (see `failfast_runtime::rewrite::lent`): the iterations share it, clone it and see each
/// other's changes through it, as the sequential loop's would.
#[tokio::test(flavor = "current_thread")]
async fn an_rc_of_the_function_is_lent() {
    #[fail_fast(workers = 3)]
    async fn counted(values: Vec<u32>, limit: Rc<u32>) -> Result<usize, String> {
        let seen = Rc::new(RefCell::new(Vec::new()));
        for value in values {
            tokio::task::yield_now().await;
            let mine = Rc::clone(&seen);
            mine.borrow_mut().push(value);
            if value > *limit {
                return Err(format!("{value} over {limit}"));
            }
        }
        let seen = seen.borrow().len();
        Ok(seen + Rc::strong_count(&limit))
    }
    assert_eq!(counted(vec![1, 2, 3, 4], Rc::new(10)).await, Ok(5));
    assert_eq!(
        counted(vec![1, 20, 3], Rc::new(10)).await,
        Err("20 over 10".to_string())
    );
}

#[tokio::test(flavor = "current_thread")]
async fn cancelled_is_false_in_an_async_loop() {
    #[fail_fast(workers = 4)]
    async fn check() -> Result<(), String> {
        for _item in 0..8 {
            tokio::task::yield_now().await;
            if failfast::cancelled() {
                Err("cancelled() is for thread loops".to_string())?;
            }
        }
        Ok(())
    }
    assert_eq!(check().await, Ok(()));
}

/// `assert!` prints its condition as written: a local the loop lends its iterations (see
/// `failfast::parallel_loop::Lent`) is left as it is there, not rewritten.
#[test]
fn an_assert_in_an_async_loop_prints_its_condition_as_written() {
    #[fail_fast(workers = 2)]
    async fn check(items: Vec<u32>) -> Result<(), String> {
        let hits = std::cell::Cell::new(0u32);
        for x in items {
            hits.set(hits.get() + x);
            futures::future::ready(()).await;
            assert!(hits.get() < 3);
        }
        Ok(())
    }
    let payload = std::panic::catch_unwind(|| futures::executor::block_on(check(vec![1, 2, 3])))
        .expect_err("the assertion fails");
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied());
    assert_eq!(message, Some("assertion failed: hits.get() < 3"));
}
