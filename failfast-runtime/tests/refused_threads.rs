//! When the OS refuses a thread (a memory, pids or thread limit), the loop carries on with the
//! threads it has: it never hangs, runs every item exactly once, and the next loop starts
//! threads again. Thread starts are refused through the runtime's test-only hook, on every
//! input path, nested and in a recursion; and once for real, in a child process that limits
//! its own address space to what it has plus 64 MiB.
mod common;

use common::{scaled, Path, HANG};
use failfast_runtime::fault::{refuse_thread_starts, refused_thread_starts, thread_starts, Refuse};
use failfast_runtime::rewrite::{LoopSite, Split};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The hook is process-wide: one test at a time sets it.
fn hook() -> MutexGuard<'static, ()> {
    static HOOK: Mutex<()> = Mutex::new(());
    let guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    refuse_thread_starts(Refuse::Never);
    guard
}

/// An item long enough that the loop wants its threads.
fn work() {
    std::thread::sleep(Duration::from_micros(if cfg!(miri) { 1 } else { 50 }));
}

const REFUSALS: [Refuse; 5] = [
    Refuse::Nth(1),
    Refuse::Nth(2),
    Refuse::AllAfter(0),
    Refuse::AllAfter(1),
    Refuse::AllAfter(5),
];

fn workers() -> Vec<usize> {
    if cfg!(miri) {
        vec![2, 3]
    } else {
        vec![2, 3, 8, 64, 300]
    }
}

/// Every item of one loop ran exactly once.
struct Runs(Vec<AtomicUsize>);

impl Runs {
    fn new(len: usize) -> Self {
        Runs((0..len).map(|_| AtomicUsize::new(0)).collect())
    }

    fn run(&self, index: usize) {
        self.0[index].fetch_add(1, Ordering::SeqCst);
    }

    fn check(&self, what: &str) {
        for (index, runs) in self.0.iter().enumerate() {
            assert_eq!(runs.load(Ordering::SeqCst), 1, "item {index} runs ({what})");
        }
    }
}

/// After a refusal: a loop without refusals starts threads again and works.
fn a_later_loop_starts_threads(path: Path) {
    refuse_thread_starts(Refuse::Never);
    let len = scaled(200);
    let runs = Runs::new(len);
    let result: Result<(), ()> = path.try_for_each(0..len, 4, |i| {
        work();
        runs.run(i);
        Ok(())
    });
    assert_eq!(result, Ok(()));
    runs.check("the loop after");
    assert!(
        thread_starts() >= 1,
        "the loop after a refusal started no thread ({path:?})"
    );
}

#[test]
fn every_input_path_carries_on_with_the_threads_it_has() {
    let _hook = hook();
    let len = scaled(600);
    for path in Path::ALL {
        for workers in workers() {
            for refuse in REFUSALS {
                refuse_thread_starts(refuse);
                let began = Instant::now();
                let runs = Runs::new(len);
                let result: Result<(), ()> = path.try_for_each(0..len, workers, |i| {
                    work();
                    runs.run(i);
                    Ok(())
                });
                let what = format!("{path:?}, {workers} workers, {refuse:?}");
                assert_eq!(result, Ok(()), "{what}");
                runs.check(&what);
                // The first thread a loop asks for is always refused by these; the later
                // starts of the others depend on timing and on `workers`.
                if matches!(refuse, Refuse::Nth(1) | Refuse::AllAfter(0)) {
                    assert_eq!(refused_thread_starts(), 1, "one refusal, no retry ({what})");
                }
                assert!(began.elapsed() < HANG, "{what}");
            }
            a_later_loop_starts_threads(path);
        }
    }
}

/// An input whose `next()` waits until the item before it has run (a producer that sends a
/// job once the last is acknowledged), with no pool thread at all, pulled by the caller or
/// shared (a receiver is `Send`): the caller runs each item before it pulls the next, as the
/// sequential loop does.
#[test]
fn an_input_in_lockstep_with_its_items_runs_on_the_caller_alone() {
    let _hook = hook();
    let jobs = scaled(200) as u32;
    for path in [Path::Caller, Path::Shared] {
        refuse_thread_starts(Refuse::AllAfter(0));
        let (job_tx, job_rx) = std::sync::mpsc::channel::<u32>();
        let (ack_tx, ack_rx) = std::sync::mpsc::channel::<u32>();
        let producer = std::thread::spawn(move || {
            for job in 0..jobs {
                job_tx.send(job).unwrap();
                assert_eq!(ack_rx.recv().unwrap(), job);
            }
        });
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let acked = path.try_for_each(job_rx.into_iter(), 4, |job| ack_tx.send(job));
            done_tx.send(acked.is_ok()).unwrap();
        });
        let acked = done_rx.recv_timeout(HANG);
        assert_eq!(acked, Ok(true), "{path:?}: the loop hung or failed");
        producer.join().unwrap();
        a_later_loop_starts_threads(path);
    }
}

#[test]
fn a_failure_after_a_refusal_ends_the_loop_as_usual() {
    let _hook = hook();
    for path in Path::ALL {
        for refuse in REFUSALS {
            refuse_thread_starts(refuse);
            let result = path.try_for_each(0..scaled(400), 8, |i| {
                work();
                if i == scaled(400) / 2 {
                    Err(i)
                } else {
                    Ok(())
                }
            });
            assert_eq!(result, Err(scaled(400) / 2), "{path:?}, {refuse:?}");
        }
    }
    a_later_loop_starts_threads(Path::Caller);
}

#[test]
fn nested_loops_carry_on_when_threads_are_refused() {
    let _hook = hook();
    let (outer, inner) = (scaled(20), scaled(30));
    for path in Path::ALL {
        for refuse in REFUSALS {
            refuse_thread_starts(refuse);
            let runs = Runs::new(outer * inner);
            let result: Result<(), ()> = path.try_for_each(0..outer, 4, |o| {
                path.try_for_each(0..inner, 3, |i| {
                    work();
                    runs.run(o * inner + i);
                    Ok(())
                })
            });
            let what = format!("{path:?}, {refuse:?}");
            assert_eq!(result, Ok(()), "{what}");
            runs.check(&what);
        }
    }
    a_later_loop_starts_threads(Path::Shared);
}

/// A recursive walk: every node's children in the same loop, which shares one limit.
fn walk(depth: usize, node: usize, fanout: usize, runs: &Runs) -> Result<(), ()> {
    static SITE: LoopSite = LoopSite::new();
    Split.thread_loop(0..fanout, 4, &SITE, |child| {
        let node = node * fanout + child + 1;
        work();
        runs.run(node);
        if depth > 1 {
            walk(depth - 1, node, fanout, runs)?;
        }
        Ok(())
    })
}

#[test]
fn a_recursion_carries_on_when_threads_are_refused() {
    let _hook = hook();
    let (depth, fanout): (usize, usize) = if cfg!(miri) { (2, 2) } else { (4, 5) };
    // Nodes are numbered breadth first from 0 (the root, not run).
    let nodes: usize = (1..=depth).map(|d| fanout.pow(d as u32)).sum();
    for refuse in REFUSALS {
        refuse_thread_starts(refuse);
        let runs = Runs::new(nodes + 1);
        runs.run(0);
        assert_eq!(walk(depth, 0, fanout, &runs), Ok(()));
        runs.check(&format!("{refuse:?}"));
    }
    a_later_loop_starts_threads(Path::Indexed);
}

/// Waits up to `bound` for `happened()`, which must not happen: a failing fix lets it.
fn must_not_happen(bound: Duration, happened: impl Fn() -> bool) {
    let began = Instant::now();
    while !happened() && began.elapsed() < bound {
        std::thread::yield_now();
    }
}

/// Pulled = started, with threads refused: a `while let` head is evaluated only for a thread
/// that exists and is free (or for the caller, running the value itself when no thread
/// started), not for the slots of threads the OS refused. A loop that ends by a failure has
/// started every value it pulled.
#[test]
fn a_head_is_pulled_only_for_threads_that_exist() {
    static SITE: LoopSite = LoopSite::new();
    let _hook = hook();
    for refuse in [Refuse::Nth(1), Refuse::AllAfter(0), Refuse::AllAfter(1)] {
        refuse_thread_starts(refuse);
        let (pulled, started) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let result = failfast_runtime::rewrite::while_let(
            |slot: &mut Option<usize>| {
                *slot = Some(pulled.fetch_add(1, Ordering::SeqCst));
                Ok(())
            },
            4,
            &SITE,
            |n| {
                started.fetch_add(1, Ordering::SeqCst);
                // The only thread is busy: the head must not be evaluated meanwhile.
                must_not_happen(Duration::from_millis(100), || {
                    pulled.load(Ordering::SeqCst) > 1
                });
                Err(n)
            },
        );
        let what = format!("{refuse:?}");
        assert_eq!(result, Err(0), "{what}");
        let (pulled, started) = (pulled.into_inner(), started.into_inner());
        assert_eq!((pulled, started), (1, 1), "pulled, started ({what})");
    }
    a_later_loop_starts_threads(Path::Caller);
}

/// Set in the child process that [`a_loop_under_a_real_memory_limit_finishes`] starts.
const LIMITED_CHILD: &str = "FAILFAST_TEST_LIMITED_CHILD";

/// Address space the limited child may reserve beyond what it has when it sets its limit: room
/// for its items and for a few pool threads (16 MiB of stack each, and what the pool leaves
/// to spare for a thread's malloc arena, 80 MiB), not for 300.
const HEADROOM_KIB: u64 = 160 * 1024;

/// The process's reserved address space (`VmSize`), in KiB.
fn reserved_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmSize:"))
        .and_then(|size| size.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The child's side: limits its own address space to what it has plus `headroom_kib` (as a
/// container's memory limit would, but relative to this binary's size, so that the limit
/// refuses threads and not the loop's own small allocations), then runs `workload`.
fn limited_child(headroom_kib: u64, workload: &str) {
    let limit = (reserved_kib() + headroom_kib) * 1024;
    let set = std::process::Command::new("prlimit")
        .arg(format!("--pid={}", std::process::id()))
        .arg(format!("--as={limit}:{limit}"))
        .status()
        .expect("prlimit (util-linux) sets the child's address-space limit");
    assert!(set.success(), "prlimit failed: {set}");
    match workload {
        // A 300-worker loop of sleeping items on every path: the OS refuses most threads.
        "wide" => {
            for path in Path::ALL {
                let runs = Runs::new(600);
                let result: Result<(), ()> = path.try_for_each(0..600, 300, |i| {
                    std::thread::sleep(Duration::from_millis(1));
                    runs.run(i);
                    Ok(())
                });
                assert_eq!(result, Ok(()));
                runs.check(&format!("{path:?}"));
                println!("limited child: {path:?} done");
            }
        }
        // A limit with room for a pool thread's stack (16 MiB) but not for what a new thread
        // reserves besides (a malloc arena, 64 MiB with glibc): no thread is started, where
        // starting one could take the last of the address space.
        "room" => {
            let threads = process_threads();
            let runs = Runs::new(64);
            let result: Result<(), ()> = Path::Indexed.try_for_each(0..64, 4, |i| {
                std::thread::sleep(Duration::from_millis(1));
                runs.run(i);
                Ok(())
            });
            assert_eq!(result, Ok(()));
            runs.check("room");
            assert_eq!(
                process_threads(),
                threads,
                "a thread started with no room for it"
            );
            println!("limited child: Indexed done");
        }
        // Three nested loops whose items allocate, as real bodies do (a page with 8 workers
        // a loop, or 200 kB with 32, where many threads start at once): the limit falls
        // where starting a thread could take the last of the address space.
        nested => {
            let (side, workers, bytes) = match nested {
                "nested" => (8, 8, 4096),
                _ => (12, 32, 200_000),
            };
            let runs = Runs::new(side * side * side);
            let result: Result<(), ()> = Path::Indexed.try_for_each(0..side, workers, |outer| {
                Path::Indexed.try_for_each(0..side, workers, |middle| {
                    Path::Indexed.try_for_each(0..side, workers, |inner| {
                        std::thread::sleep(Duration::from_micros(200));
                        let block = std::hint::black_box(vec![1_u8; bytes]);
                        let at = (outer * side + middle) * side + inner;
                        runs.run(at + usize::from(block[0]) - 1);
                        Ok(())
                    })
                })
            });
            assert_eq!(result, Ok(()));
            runs.check(nested);
            println!("limited child: Indexed done");
        }
    }
}

/// The number of threads of this process.
fn process_threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or(0)
}

/// Runs this test binary again as a child that limits its address space to what it has plus
/// `headroom_kib` and runs `workload` (see [`limited_child`]), under `test`'s name; panics if
/// it fails, or hangs for 60 s.
fn run_limited_child(test: &str, headroom_kib: u64, workload: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = std::process::Command::new(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(LIMITED_CHILD, format!("{headroom_kib} {workload}"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the test binary, again");
    let began = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child") {
            break status;
        }
        if began.elapsed() > Duration::from_secs(60) {
            child.kill().expect("kill the hung child");
            child.wait().expect("the killed child");
            panic!("the loop under a memory limit hung (killed after 60 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().expect("the child's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success() && stdout.contains("limited child: Indexed done"),
        "the limited child ({workload}, {headroom_kib} KiB of headroom) failed ({status}):\n{stdout}\n{stderr}"
    );
}

/// In the child: runs the workload its parent asked for, and says so.
fn is_limited_child() -> bool {
    let Some(asked) = std::env::var_os(LIMITED_CHILD) else {
        return false;
    };
    let asked = asked.to_string_lossy();
    let (headroom, workload) = asked.split_once(' ').expect("headroom and workload");
    limited_child(headroom.parse().expect("headroom in KiB"), workload);
    true
}

/// Whether this process can run under an address-space limit at all: a sanitizer's runtime
/// (the thread sanitizer run of CI) reserves terabytes of address space for its shadow
/// memory before `main`, so no limit can be set that the process starts under.
fn can_be_limited() -> bool {
    let reserved_kib = reserved_kib();
    if reserved_kib > 1 << 30 {
        println!("skipped: the process reserves {reserved_kib} KiB of address space (a sanitizer)");
        return false;
    }
    true
}

/// A child process under an address-space limit (as a container's memory limit gives), which
/// the OS enforces by refusing threads of a 300-worker loop: it must finish.
#[cfg(all(target_os = "linux", not(miri)))] // Miri cannot start processes.
#[test]
fn a_loop_under_a_real_memory_limit_finishes() {
    if is_limited_child() || !can_be_limited() {
        return;
    }
    run_limited_child(
        "a_loop_under_a_real_memory_limit_finishes",
        HEADROOM_KIB,
        "wide",
    );
}

/// Nested loops whose items allocate, under address-space limits from tight to loose: at some
/// of them, starting a thread took the last of the address space, std's spawn failed an
/// allocation of its own, and the process aborted (a runtime probe: 7 of 10 runs under
/// `ulimit -v 200000`, rarely elsewhere); with 32 workers, threads started at once were all
/// checked against the same reserved size, and a body's allocation failed (a second reader:
/// 4 of 20 runs under `ulimit -v 660000`). Every one must finish; and under a limit with room
/// for a thread's stack but not for what a thread reserves besides, none is started.
#[cfg(all(target_os = "linux", not(miri)))] // Miri cannot start processes.
#[test]
fn nested_loops_under_tight_memory_limits_never_abort() {
    if is_limited_child() || !can_be_limited() {
        return;
    }
    run_limited_child(
        "nested_loops_under_tight_memory_limits_never_abort",
        48 * 1024,
        "room",
    );
    for (headrooms_mib, workload) in [(16..=176, "nested"), (200..=720, "nested-wide")] {
        for headroom_mib in headrooms_mib.step_by(8) {
            run_limited_child(
                "nested_loops_under_tight_memory_limits_never_abort",
                headroom_mib * 1024,
                workload,
            );
        }
    }
}
