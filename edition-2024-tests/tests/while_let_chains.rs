//! Edition 2024's let chains in a `while let` head (`while let Ok(x) = rx.recv() && x < 5`):
//! the chain is the head, evaluated as a whole once per value; the loop ends where the
//! sequential loop does (the first value that does not match or does not pass the condition),
//! and what the chain binds reaches the body. Built with edition 2024 (see `Cargo.toml`).
use failfast::fail_fast;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};

#[fail_fast(workers = 4)]
fn below_five(jobs: std::sync::mpsc::Receiver<u32>, sum: &AtomicU32) -> Result<(), String> {
    while let Ok(job) = jobs.recv()
        && job < 5
    {
        sum.fetch_add(job, SeqCst);
    }
    Ok(())
}

#[test]
fn a_thread_loop_ends_at_the_first_value_that_fails_the_condition() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in [1, 2, 3, 7, 1, 1] {
        tx.send(job).unwrap();
    }
    let sum = AtomicU32::new(0);
    below_five(rx, &sum).unwrap();
    assert_eq!(sum.into_inner(), 6, "1 + 2 + 3, then 7 ends the loop");
}

/// Two `let`s, a `mut` binding, and a binding used by the chain alone (`extra`).
#[fail_fast(workers = 2)]
fn pairs(
    jobs: std::sync::mpsc::Receiver<(u32, Option<u32>)>,
    seen: &Mutex<Vec<u32>>,
) -> Result<(), String> {
    while let Ok((base, extra)) = jobs.recv()
        && let Some(mut total) = extra
    {
        total += base;
        if total > 100 {
            return Err(format!("{total} is too big"));
        }
        seen.lock().unwrap().push(total);
    }
    Ok(())
}

#[test]
fn every_let_of_the_chain_binds_for_the_body() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in [(1, Some(2)), (3, Some(4)), (5, None), (6, Some(7))] {
        tx.send(job).unwrap();
    }
    let seen = Mutex::new(Vec::new());
    pairs(rx, &seen).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, [3, 7], "(5, None) ends the loop");

    let (tx, rx) = std::sync::mpsc::channel();
    tx.send((1, Some(200))).unwrap();
    drop(tx);
    assert_eq!(
        pairs(rx, &Mutex::default()),
        Err("201 is too big".to_string())
    );
}

#[fail_fast(workers = 2)]
async fn lines(
    lines: &mut tokio::sync::mpsc::Receiver<String>,
    length: &AtomicU32,
) -> Result<(), String> {
    while let Some(line) = lines.recv().await
        && !line.is_empty()
    {
        tokio::task::yield_now().await;
        length.fetch_add(u32::try_from(line.len()).unwrap(), SeqCst);
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn an_async_loop_ends_at_the_first_value_that_fails_the_condition() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    for line in ["ab", "cde", "", "zz"] {
        tx.send(line.to_string()).await.unwrap();
    }
    let length = AtomicU32::new(0);
    lines(&mut rx, &length).await.unwrap();
    assert_eq!(length.into_inner(), 5);
    assert_eq!(
        rx.try_recv().as_deref(),
        Ok("zz"),
        "nothing taken after the end"
    );
}

/// The chain's own `mut` binding, changed by the chain (`v.pop()`), and names the body uses
/// only inside format strings (`{last}`, `{v:?}`).
#[fail_fast(workers = 2)]
fn lasts(
    jobs: std::sync::mpsc::Receiver<Vec<u32>>,
    seen: &Mutex<Vec<String>>,
) -> Result<(), String> {
    while let Ok(mut v) = jobs.recv()
        && let Some(last) = v.pop()
    {
        seen.lock().unwrap().push(format!("{last} after {v:?}"));
    }
    Ok(())
}

#[test]
fn the_chain_may_change_its_own_bindings_and_the_body_may_name_them_in_format_strings() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in [vec![1, 2], vec![3], vec![], vec![4]] {
        tx.send(job).unwrap();
    }
    let seen = Mutex::new(Vec::new());
    lasts(rx, &seen).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(
        seen,
        ["2 after [1]", "3 after []"],
        "the empty job ends the loop"
    );
}

/// A condition of the chain with a `match` of its own: its arms' bindings (`v`) are not the
/// chain's.
#[fail_fast(workers = 2)]
fn odd(jobs: std::sync::mpsc::Receiver<Option<u32>>, sum: &AtomicU32) -> Result<(), String> {
    while let Ok(job) = jobs.recv()
        && match job {
            Some(v) => v % 2 == 1,
            None => false,
        }
    {
        sum.fetch_add(job.unwrap_or(0), SeqCst);
    }
    Ok(())
}

#[test]
fn a_match_in_a_condition_binds_only_for_its_arms() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in [Some(1), Some(3), Some(4), Some(5)] {
        tx.send(job).unwrap();
    }
    let sum = AtomicU32::new(0);
    odd(rx, &sum).unwrap();
    assert_eq!(sum.into_inner(), 4, "1 + 3, then 4 ends the loop");
}

/// `workers = 1` is the sequential loop: in order, ending where the chain is first false.
#[fail_fast(workers = 1)]
fn in_order(jobs: std::sync::mpsc::Receiver<u32>, seen: &Mutex<Vec<u32>>) -> Result<(), String> {
    while let Ok(job) = jobs.recv()
        && job != 0
    {
        seen.lock().unwrap().push(job);
    }
    Ok(())
}

#[test]
fn one_worker_runs_the_chain_in_order() {
    let (tx, rx) = std::sync::mpsc::channel();
    for job in [3, 1, 2, 0, 4] {
        tx.send(job).unwrap();
    }
    let seen = Mutex::new(Vec::new());
    in_order(rx, &seen).unwrap();
    assert_eq!(seen.into_inner().unwrap(), [3, 1, 2]);
}

/// A tree walked by a chain over each node's children, recursing: the chain ends each node's
/// walk where it is first false, and a failure deep inside is the walk's.
struct Node {
    size: u32,
    children: Vec<Node>,
}

#[fail_fast(workers = 3)]
fn total(node: &Node, sum: &AtomicU32) -> Result<(), String> {
    let mut children = node.children.iter();
    while let Some(child) = children.next()
        && child.size != 13
    {
        sum.fetch_add(child.size, SeqCst);
        total(child, sum)?;
        if child.size == 99 {
            return Err(format!("{} is too big", child.size));
        }
    }
    Ok(())
}

fn tree(sizes: &[u32], depth: u32) -> Node {
    Node {
        size: 1,
        children: match depth {
            0 => Vec::new(),
            _ => sizes
                .iter()
                .map(|&size| Node {
                    size,
                    ..tree(sizes, depth - 1)
                })
                .collect(),
        },
    }
}

#[test]
fn a_recursion_through_a_chain_walks_the_tree_and_returns_the_failure() {
    // Each node has children of sizes 1, 2, 3; four levels: 3 + 9 + 27 + 81 nodes below the
    // root, whose sizes sum to 6 * (1 + 3 + 9 + 27).
    let sum = AtomicU32::new(0);
    total(&tree(&[1, 2, 3], 4), &sum).unwrap();
    assert_eq!(sum.into_inner(), 6 * (1 + 3 + 9 + 27));

    // A child of size 13 ends its parent's chain: the children after it are not walked.
    let sum = AtomicU32::new(0);
    total(&tree(&[1, 13, 3], 2), &sum).unwrap();
    assert_eq!(sum.into_inner(), 1 + 1, "one child per level before the 13");

    let sum = AtomicU32::new(0);
    assert_eq!(
        total(&tree(&[1, 99], 3), &sum),
        Err("99 is too big".to_string())
    );
}
