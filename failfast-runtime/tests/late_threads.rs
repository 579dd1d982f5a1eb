//! A pool thread that is handed its job but begins it late (the system left it queued behind
//! a busy thread on its core, until that one's time slice ended) does not hold back the
//! others: the loop starts its next thread meanwhile, and runs on as many threads as it may.
//! The lateness is made by the runtime's test-only hook.
use failfast_runtime::fault::{delay_thread_start, refuse_thread_starts, Refuse};
use failfast_runtime::rewrite::{LoopSite, Split};
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// Far longer than the walk takes on the threads that are on time.
const LATE: Duration = Duration::from_millis(700);

/// A recursive walk, whose nodes each take a millisecond and note the thread that ran them
/// and when they ended.
fn walk(depth: u32, ran: &Mutex<Vec<(ThreadId, Instant)>>) -> Result<(), ()> {
    static SITE: LoopSite = LoopSite::new();
    Split.thread_loop(0..4, 3, &SITE, |_| {
        std::thread::sleep(Duration::from_millis(1));
        ran.lock()
            .unwrap()
            .push((std::thread::current().id(), Instant::now()));
        if depth > 1 {
            walk(depth - 1, ran)?;
        }
        Ok(())
    })
}

#[test]
fn a_late_pool_thread_does_not_hold_back_the_others() {
    let ran = Mutex::new(Vec::new());
    delay_thread_start(1, LATE);
    let begin = Instant::now();
    let result = walk(3, &ran);
    refuse_thread_starts(Refuse::Never);
    assert_eq!(result, Ok(()));
    let ran = ran.into_inner().unwrap();
    assert_eq!(ran.len(), 4 + 16 + 64);
    // Before the late thread could begin, the caller and the other pool thread ran nodes.
    let mut before: Vec<ThreadId> = ran
        .iter()
        .filter(|(_, at)| at.duration_since(begin) < LATE)
        .map(|(thread, _)| *thread)
        .collect();
    before.sort_by_key(|thread| format!("{thread:?}"));
    before.dedup();
    assert_eq!(
        before.len(),
        2,
        "threads that ran nodes before the late one began: {before:?}"
    );
}
