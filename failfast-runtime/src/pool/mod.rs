//! Worker threads for the engine: [`scope`] lends a loop's stack frame to pool threads and
//! waits for them, [`cache`] keeps finished threads for the next loop, and [`place`] keeps a
//! new thread off the core of the thread that started it.
//!
//! Starting a thread costs tens of microseconds; a loop over a handful of items would spend
//! more time spawning than working. Threads are therefore parked in a global idle list when
//! their job ends, handed the next job, and exit after [`cache::IDLE_TIMEOUT`] unused.

pub(crate) mod cache;
mod place;
#[cfg(not(loom))]
mod room;
mod scope;

#[cfg(not(loom))]
pub use cache::idle_threads;
pub(crate) use cache::Started;
pub(crate) use place::Origin;
pub(crate) use scope::{scope, Spawner, Work};

/// The stack of the main thread on Linux (its usual `ulimit -s`), which std's threads do not
/// get (they default to 2 MiB): an iteration on a pool thread must not overflow where the
/// sequential loop, on the main thread, does not.
#[cfg(any(not(loom), test))]
const MAIN_STACK: usize = 8 << 20;

/// A pool thread's stack: twice the main thread's on 64-bit targets. A level of a recursive
/// parallel loop costs over ten times the sequential function's frame (about 4 KB in a debug
/// build, the README's table), so a recursion that fits the main thread's 8 MiB only just
/// fits it in the parallel loop (2,000 levels took 8.29 of 8.39 MB): any change of the
/// engine's frames, or of the body's, would overflow it. The pages are only reserved, so the
/// resident memory is the same; what a thread costs more is address space, plentiful on
/// 64-bit targets (where a limit on it refuses threads sooner, which the loop carries on
/// without). On 32-bit targets the address space is not plentiful: the main thread's.
#[cfg(any(not(loom), test))]
const FLOOR: usize = if cfg!(target_pointer_width = "64") {
    2 * MAIN_STACK
} else {
    MAIN_STACK
};

/// The most a raised `ulimit -s` gives a pool thread: 1 GiB on 64-bit targets. Twice a limit
/// of several GiB is more than the OS lends one mapping (past RAM and swap, Linux refuses it,
/// and every pool thread with it: the loop would run on the calling thread alone), and
/// `unlimited` has no size to double.
#[cfg(any(not(loom), test))]
const MOST: usize = if cfg!(target_pointer_width = "64") {
    1 << 30
} else {
    FLOOR
};

/// The stack size of a pool thread: [`FLOOR`], or more if the main thread has more (its
/// `ulimit -s`, raised for a deep recursion: then twice it on 64-bit targets, as the floor is
/// twice the usual one, up to [`MOST`], which `unlimited` gets) or if `RUST_MIN_STACK` asks
/// (the variable std reads for its own threads, which an explicit size would otherwise
/// override). Read once: std reads it once
/// too, and a loop must not look up the environment each time. The pages are only reserved:
/// a thread touches as much of it as its iterations use.
#[cfg(not(loom))]
pub(crate) fn stack_size() -> usize {
    static SIZE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SIZE.get_or_init(|| {
        stack_size_for(
            std::env::var("RUST_MIN_STACK").ok().as_deref(),
            main_stack(),
        )
    })
}

/// [`stack_size`] for a value of `RUST_MIN_STACK` and the main thread's stack limit; a
/// `RUST_MIN_STACK` that is not a number is ignored, as std ignores it.
#[cfg(any(not(loom), test))]
fn stack_size_for(min_stack: Option<&str>, main: Option<usize>) -> usize {
    let asked = min_stack.and_then(|size| size.trim().parse::<usize>().ok());
    let main = main.map_or(0, |main| main.saturating_mul(FLOOR / MAIN_STACK).min(MOST));
    asked.unwrap_or(0).max(main).max(FLOOR)
}

/// The main thread's stack limit (`ulimit -s`; `usize::MAX` if unlimited): the soft
/// `RLIMIT_STACK`, which Linux gives the main thread and std's threads do not get.
#[cfg(all(target_os = "linux", not(miri), not(loom)))]
fn main_stack() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` only writes an `rlimit` into the one it is given, which lives here.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut limit) } == 0;
    // Unlimited: the main thread grows into whatever address space is free; pool threads get
    // the most a raised limit gives them.
    read.then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

/// Elsewhere the main thread's stack is not read: the floor stands.
#[cfg(all(not(all(target_os = "linux", not(miri))), not(loom)))]
fn main_stack() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::{stack_size_for, FLOOR, MAIN_STACK, MOST};

    #[test]
    fn the_stack_is_at_least_the_main_threads_and_more_if_rust_min_stack_asks() {
        #[cfg(target_pointer_width = "64")]
        assert_eq!(FLOOR, 2 * MAIN_STACK);
        #[cfg(not(target_pointer_width = "64"))]
        assert_eq!(FLOOR, MAIN_STACK);
        assert_eq!(stack_size_for(None, None), FLOOR);
        assert_eq!(stack_size_for(Some("65536"), None), FLOOR);
        assert_eq!(stack_size_for(Some("33554432"), None), 32 << 20);
        assert_eq!(stack_size_for(Some(" 16777216\n"), None), 16 << 20);
        assert_eq!(stack_size_for(Some("lots"), None), FLOOR);
        // The usual `ulimit -s` leaves the floor; a raised one raises the stack as much as
        // the floor is above the usual one.
        assert_eq!(stack_size_for(None, Some(MAIN_STACK)), FLOOR);
        assert_eq!(
            stack_size_for(None, Some(64 << 20)),
            (64 << 20) * (FLOOR / MAIN_STACK)
        );
        assert_eq!(stack_size_for(Some("1073741824"), Some(64 << 20)), 1 << 30);
        // A limit of GiBs, or none, gives the most; `RUST_MIN_STACK` may still ask for more.
        assert_eq!(stack_size_for(None, Some(usize::MAX / 2)), MOST);
        assert_eq!(stack_size_for(None, Some(usize::MAX)), MOST);
        #[cfg(target_pointer_width = "64")]
        assert_eq!(
            stack_size_for(Some("4294967296"), Some(usize::MAX)),
            4 << 30
        );
    }
}
