//! Recursion shares one limit: a loop reached again inside one of its own iterations (a
//! recursive walk) runs at most `workers` iterations at once across the whole recursion,
//! never deadlocks, and fails, panics and cancels as one loop. Over every path of the engine.
mod tree;

use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tree::{tree, walk, watchdog, Injected, Leaf, Path, Walk, HANG};

const PATHS: [Path; 3] = [Path::Indexed, Path::Shared, Path::Api];

/// (depth, fanout): trees of up to about a thousand leaves.
const SHAPES: [(u32, usize); 6] = [(3, 2), (3, 5), (4, 4), (5, 3), (5, 4), (6, 2)];

#[test]
fn every_shape_keeps_the_limit_visits_every_leaf_and_ends() {
    for workers in [1, 2, 3, 4, 8] {
        for (depth, fanout) in SHAPES {
            for seed in [None, Some(u64::from(depth) * 31 + fanout as u64)] {
                let root = tree(depth, fanout, seed);
                for path in PATHS {
                    let leaf = if seed.is_some() {
                        Leaf::Sleep(Duration::from_micros(50))
                    } else {
                        Leaf::Spin(Duration::from_micros(5))
                    };
                    let shape = format!(
                        "{path:?} walk, {workers} workers, depth {depth}, fanout {fanout}, {}, {leaf:?} leaves",
                        if seed.is_some() { "unbalanced" } else { "balanced" }
                    );
                    let state = Walk::new(leaf);
                    let result = watchdog(&shape, || walk(path, &root, &state, workers));
                    assert_eq!(result, Ok(()), "{shape}");
                    assert_eq!(
                        state.visited.into_inner(),
                        root.leaves(),
                        "{shape}: leaves visited"
                    );
                    let most = state.most.into_inner();
                    assert!(most <= workers, "{shape}: {most} iterations at once");
                    assert_eq!(
                        state.in_flight.into_inner(),
                        0,
                        "{shape}: an iteration outlived the walk"
                    );
                }
            }
        }
    }
}

#[test]
fn with_enough_leaves_waiting_the_whole_limit_is_used() {
    // 256 sleeping leaves: at some moment all 4 workers run one.
    for path in PATHS {
        let root = tree(4, 4, None);
        let state = Walk::new(Leaf::Sleep(Duration::from_millis(2)));
        assert_eq!(walk(path, &root, &state, 4), Ok(()));
        assert_eq!(state.most.into_inner(), 4, "{path:?}");
    }
}

#[test]
fn a_failure_at_a_random_leaf_ends_the_walk_with_it() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("seed {seed}");
    let root = tree(5, 4, None);
    let mut leaves = Vec::new();
    root.leaf_ids(&mut leaves);
    for (n, path) in PATHS.into_iter().enumerate() {
        let fail_at = leaves[(seed as usize).wrapping_add(n * 97) % leaves.len()];
        let mut state = Walk::new(Leaf::Sleep(Duration::from_micros(100)));
        state.fail_at = Some(fail_at);
        let shape = format!("{path:?} walk failing at leaf {fail_at} (seed {seed})");
        let result = watchdog(&shape, || walk(path, &root, &state, 3));
        assert_eq!(result, Err(fail_at), "{shape}");
        assert_eq!(state.in_flight.into_inner(), 0, "{shape}");
    }
}

#[test]
fn a_failure_deep_in_the_tree_cancels_the_whole_walk() {
    // The first leaf fails; the walk stops long before its 1,024 leaves of 1 ms each.
    let root = tree(5, 4, None);
    let mut leaves = Vec::new();
    root.leaf_ids(&mut leaves);
    for path in PATHS {
        let mut state = Walk::new(Leaf::Sleep(Duration::from_millis(1)));
        state.fail_at = Some(leaves[0]);
        let begin = Instant::now();
        assert_eq!(walk(path, &root, &state, 4), Err(leaves[0]));
        let visited = state.visited.into_inner();
        assert!(
            visited < 100,
            "{path:?}: {visited} leaves visited after the failure"
        );
        assert!(begin.elapsed() < HANG);
    }
}

#[test]
fn a_panic_at_a_random_leaf_resumes_with_its_payload() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.payload().is::<Injected>() {
            previous(info);
        }
    }));
    let root = tree(4, 3, Some(7));
    let mut leaves = Vec::new();
    root.leaf_ids(&mut leaves);
    for (n, path) in PATHS.into_iter().enumerate() {
        let panic_at = leaves[(n * 13 + 5) % leaves.len()];
        let mut state = Walk::new(Leaf::Spin(Duration::from_micros(20)));
        state.panic_at = Some(panic_at);
        let shape = format!("{path:?} walk panicking at leaf {panic_at}");
        let outcome = watchdog(&shape, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                walk(path, &root, &state, 2)
            }))
        });
        let payload = outcome.expect_err("the walk panics");
        assert_eq!(
            payload.downcast_ref::<Injected>(),
            Some(&Injected(panic_at)),
            "{shape}"
        );
        assert_eq!(state.in_flight.into_inner(), 0, "{shape}");
    }
}

#[test]
fn one_worker_walks_depth_first_in_order() {
    let root = tree(3, 3, Some(3));
    let mut expected = Vec::new();
    root.leaf_ids(&mut expected);
    let order = std::sync::Mutex::new(Vec::new());

    #[fail_fast(workers = 1)]
    fn in_order(node: &tree::Node, order: &std::sync::Mutex<Vec<usize>>) -> Result<(), ()> {
        for child in &node.children {
            if child.children.is_empty() {
                order.lock().unwrap().push(child.id);
            } else {
                in_order(child, order)?;
            }
        }
        Ok(())
    }
    assert_eq!(in_order(&root, &order), Ok(()));
    assert_eq!(order.into_inner().unwrap(), expected);
}

/// Two different loops, one inside the other, each with 2 workers.
#[fail_fast(workers = 2)]
fn outer_and_inner(at_once: &AtomicUsize, most: &AtomicUsize) -> Result<(), ()> {
    #[fail_fast(workers = 2)]
    for _ in 0..2 {
        #[fail_fast(workers = 2)]
        for _ in 0..2 {
            let now = at_once.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            let begin = Instant::now();
            // Waits until all 4 run at once, as two limits of 2 allow.
            while most.load(Ordering::SeqCst) < 4 {
                assert!(begin.elapsed() < HANG, "the nested loops shared one limit");
                std::thread::yield_now();
            }
            at_once.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

#[test]
fn different_loops_nested_in_each_other_keep_their_own_limits() {
    let (at_once, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    assert_eq!(outer_and_inner(&at_once, &most), Ok(()));
    assert_eq!(most.into_inner(), 4);
}
