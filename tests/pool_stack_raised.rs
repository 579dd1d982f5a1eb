//! With a raised `ulimit -s`, pool threads get a bigger stack too: a recursion that the main
//! thread runs also runs in an iteration on a pool thread. Its own file: `pool_stack.rs`
//! measures its whole process's threads, which this test's would disturb.

/// Stack used by `deep` a level: one page, touched.
const LEVEL: usize = 4096;

/// Recurses `levels` deep, each level touching a page of its own frame.
fn deep(levels: usize) -> u8 {
    let mut page = [0u8; LEVEL];
    page[levels % LEVEL] = 1;
    let below = if levels == 0 { 0 } else { deep(levels - 1) };
    std::hint::black_box(&page)[levels % LEVEL].wrapping_add(below)
}

/// With a raised `ulimit -s`, the main thread's stack grows past the pool's 16 MiB floor, and
/// so do pool threads' (twice it, as the floor is twice the usual 8 MiB): a recursion of 24 MiB
/// that the main thread runs also runs in an iteration on a pool thread. Run in a child
/// process under `ulimit -s 65536`, since the pool reads the limit once.
#[test]
fn a_raised_ulimit_s_raises_the_pool_threads_stacks() {
    const CHILD: &str = "FAILFAST_TEST_RAISED_STACK";
    let levels = (24 << 20) / LEVEL;
    if std::env::var_os(CHILD).is_some() {
        // The child: this runs on a test thread, with std's 2 MiB stack, so the recursion can
        // only pass on pool threads (the function API runs every iteration on them).
        let result = failfast::try_for_each(0..4, 2, |_| {
            std::hint::black_box(deep(levels));
            Ok::<(), ()>(())
        });
        assert_eq!(result, Ok(()));
        return;
    }
    let test = std::env::current_exe().unwrap();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -s 65536 && exec \"$0\" --exact a_raised_ulimit_s_raises_the_pool_threads_stacks --test-threads=1")
        .arg(&test)
        .env(CHILD, "1")
        .env_remove("RUST_MIN_STACK")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the child under `ulimit -s 65536`: {:?}\n{stderr}",
        output.status
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "the child ran no test"
    );
}
