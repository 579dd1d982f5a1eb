//! A thread `while let` loop's owner evaluates the head for every value, so it waits while the
//! iterations run; it may spin around the moments it expects a thread to be free (iterations
//! of a steady length), but at most an eighth of the loop's time: it leaves its core to others
//! the rest of the time. One test in its own binary: it reads the calling thread's CPU time.
use failfast_runtime::rewrite::{while_let, LoopSite};
use std::time::{Duration, Instant};

/// The CPU time the calling thread has used.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid `timespec` to write to, and the clock id is one Linux has.
    let done = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(done, 0, "clock_gettime failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[test]
fn the_owner_of_steady_iterations_leaves_its_core_idle_most_of_the_time() {
    static SITE: LoopSite = LoopSite::new();
    // 8 workers, 320 iterations of 3 ms each: 40 rounds.
    let mut values = 0..320;
    let began = (Instant::now(), thread_cpu());
    let looped = while_let(
        |slot: &mut Option<u32>| {
            *slot = values.next();
            Ok(())
        },
        8,
        &SITE,
        |_| {
            std::thread::sleep(Duration::from_millis(3));
            Ok::<(), ()>(())
        },
    );
    let (wall, cpu) = (began.0.elapsed(), thread_cpu() - began.1);
    assert_eq!(looped, Ok(()));
    assert_eq!(values.next(), None, "the head was evaluated to its end");
    // Generous: an eighth spinning, and the head's evaluations and handing out; an owner that
    // spun through the loop would use all of it.
    assert!(
        cpu < wall * 6 / 10,
        "the owner used {cpu:?} of CPU in a loop of {wall:?}"
    );
}
