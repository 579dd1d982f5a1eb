//! Recursion shares one limit, measured on the process: the recursion holds about `workers`
//! threads, and idle capacity anywhere in the tree is used. One test function, so that no
//! other test's threads run in this process meanwhile.
mod tree;

use std::time::{Duration, Instant};
use tree::{process_threads, tree, walk, watchdog, Leaf, Path, Walk};

#[test]
fn a_recursive_walk_holds_about_workers_threads_and_uses_idle_capacity() {
    // Threads: before this fix, a walk of this tree with 4 workers peaked at 781 threads.
    for workers in [1, 2, 4, 8] {
        for path in [Path::Indexed, Path::Shared, Path::Api] {
            let root = tree(5, 4, None);
            let before = process_threads();
            let state = Walk::new(Leaf::Sleep(Duration::from_micros(200)));
            let shape = format!("{path:?} walk of 1,024 leaves, {workers} workers");
            assert_eq!(
                watchdog(&shape, || walk(path, &root, &state, workers)),
                Ok(())
            );
            // The watchdog's own thread is one of the 2 extra.
            let rise = state.threads_most.into_inner().saturating_sub(before);
            println!("{shape}: threads +{rise}");
            assert!(
                rise <= workers + 2,
                "{shape}: the process went from {before} to {} threads",
                before + rise
            );
        }
    }

    // Idle capacity: on an unbalanced tree of sleeping leaves the walk takes about the
    // leaves' total time divided by the workers (the contract says 1.2x; 1.3x here, plus a
    // little for the machine).
    for (seed, workers) in [(11, 4), (12, 2), (13, 8)] {
        for path in [Path::Indexed, Path::Shared, Path::Api] {
            let root = tree(6, 4, Some(seed));
            let leaf = Duration::from_millis(2);
            let ideal = leaf * root.leaves() as u32 / workers as u32;
            let state = Walk::new(Leaf::Sleep(leaf));
            let begin = Instant::now();
            assert_eq!(walk(path, &root, &state, workers), Ok(()));
            let took = begin.elapsed();
            println!(
                "{path:?}, {workers} workers, {} sleeping leaves: {took:.1?}, ideal {ideal:.1?}",
                root.leaves()
            );
            assert!(
                took <= ideal.mul_f64(1.3) + Duration::from_millis(30),
                "{path:?}, {workers} workers, {} leaves of 2 ms: {took:?} against an ideal of {ideal:?}",
                root.leaves()
            );
        }
    }
}
