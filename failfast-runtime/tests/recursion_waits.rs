//! An owner whose inner run's items were all claimed by other threads waits for them asleep:
//! it does not spin picking the outer run that it holds itself (a lazy input it runs alone,
//! whose claims find nothing while it is held), and an idle pool thread does not poll that
//! held run either; either burned a core for as long as the others' items took. Measured as
//! the process's CPU time while the owner waits (Linux).
//!
//! Not under Miri: `/proc` describes the interpreter there, not the program (as for the
//! thread-count test).
#![cfg(all(target_os = "linux", not(miri)))]
mod common;

use common::{scaled, Gate};
use failfast_runtime::rewrite::{LoopSite, Shared};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::Duration;

/// CPU time of the whole process so far (all threads, user and system), from `/proc`.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("(comm)") + 2..]
        .split(' ')
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // `_SC_CLK_TCK` is 100 on every Linux target Rust supports.
    Duration::from_millis(ticks * 10)
}

struct Walk {
    /// The thread that runs the outer item that recurses: the inner run's owner.
    owner: Mutex<Option<ThreadId>>,
    /// Another thread started an inner item (it then blocks on `release`).
    other_started: AtomicBool,
    /// The owner's own inner item has returned: it waits for the other's from now on.
    owner_done: AtomicBool,
    release: Gate,
}

static SITE: LoopSite = LoopSite::new();

/// Level 0: many tiny items (so that one worker comes to hold the input alone), the last one
/// recursing. Level 1: two items, one for the owner, which returns once the other thread has
/// started the other, which blocks until the test has measured.
/// With 3 workers, the third is an idle pool thread meanwhile.
fn walk(level: usize, len: usize, workers: usize, walk_state: &Walk) -> Result<(), ()> {
    Shared.thread_loop(0..len, workers, &SITE, |i| {
        if level == 0 {
            if i == len - 1 {
                *walk_state.owner.lock().unwrap() = Some(std::thread::current().id());
                walk(1, 2, workers, walk_state)?;
            }
            return Ok(());
        }
        let on_owner = *walk_state.owner.lock().unwrap() == Some(std::thread::current().id());
        if on_owner {
            while !walk_state.other_started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            walk_state.owner_done.store(true, Ordering::SeqCst);
        } else {
            walk_state.other_started.store(true, Ordering::SeqCst);
            walk_state.release.wait();
        }
        Ok(())
    })
}

#[test]
fn an_owner_waiting_for_claimed_items_does_not_spin() {
    let window = Duration::from_millis(500);
    for (round, workers) in (0..scaled(10)).map(|round| (round, 2 + round % 2)) {
        let walk_state = Walk {
            owner: Mutex::new(None),
            other_started: AtomicBool::new(false),
            owner_done: AtomicBool::new(false),
            release: Gate::default(),
        };
        let used = std::thread::scope(|scope| {
            let measured = scope.spawn(|| {
                common::wait_until("the owner waits for the other's item", || {
                    walk_state.owner_done.load(Ordering::SeqCst)
                });
                // The owner's visit ends and it starts waiting.
                std::thread::sleep(Duration::from_millis(20));
                let before = process_cpu();
                std::thread::sleep(window);
                let used = process_cpu() - before;
                walk_state.release.open();
                used
            });
            assert_eq!(walk(0, scaled(300_000), workers, &walk_state), Ok(()));
            measured.join().unwrap()
        });
        println!("round {round} ({workers} workers): {used:?} of CPU while the owner waited");
        // Asleep, the process uses next to nothing (a tick of 10 ms at most, measured 0);
        // an owner spinning on its pick used 150 to 160 ms of the 500, an idle pool thread
        // polling the held run 190.
        assert!(
            used < window / 10,
            "round {round} ({workers} workers): {used:?} of CPU in {window:?} while the owner waited"
        );
    }
}
