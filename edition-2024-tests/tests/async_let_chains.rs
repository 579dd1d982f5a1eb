//! Edition 2024's let chains in an async loop's body over locals that the loop lends its
//! iterations (a `Cell` and an `Option` used only in the body's own code, see
//! `failfast_runtime::rewrite::lent`): the lent local, as the scrutinee of a chain's `let`,
//! keeps the user's edition, and the loop's future stays `Send`.
use failfast::fail_fast;
use std::cell::Cell;

#[fail_fast(workers = 2)]
async fn above_the_limit(items: Vec<u32>) -> Result<u32, String> {
    let total = Cell::new(0u32);
    let limit = Some(2u32);
    for x in items {
        if let Some(l) = limit
            && x > l
        {
            total.set(total.get() + x);
        }
        tokio::task::yield_now().await;
    }
    Ok(total.get())
}

#[tokio::test]
async fn a_lent_local_is_a_let_chains_scrutinee() {
    let task = tokio::spawn(above_the_limit(vec![1, 2, 3, 4]));
    assert_eq!(task.await.unwrap(), Ok(7));
}
