//! The synchronisation primitives the engine is built on, swapped for loom's under `--cfg loom`
//! so the cancellation protocol can be model-checked.

#[cfg(loom)]
pub(crate) use loom::{
    sync::atomic::{AtomicBool, AtomicUsize, Ordering},
    sync::{Arc, Condvar, Mutex, MutexGuard},
};
#[cfg(not(loom))]
pub(crate) use std::{
    sync::atomic::{AtomicBool, AtomicUsize, Ordering},
    sync::{Arc, Condvar, Mutex, MutexGuard},
};

/// Locks `mutex`, ignoring poisoning: every critical section in the engine leaves its data
/// consistent before anything that can panic runs, and panics are re-raised on the caller
/// anyway.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Waits on `condvar`, ignoring poisoning like [`lock`].
pub(crate) fn wait<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    condvar
        .wait(guard)
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Spins, then yields, until `ready()` holds or about a few tens of microseconds have passed;
/// returns `ready()`.
///
/// Waiting on a condition variable costs a system call to sleep and another to wake, many
/// microseconds on a loaded machine: too much when iterations take nanoseconds and the wait
/// is shorter than the wake-up. Callers spin first, and only then park.
pub(crate) fn spin_until(mut ready: impl FnMut() -> bool) -> bool {
    #[cfg(not(loom))]
    for round in 0..SPIN_ROUNDS {
        if ready() {
            return true;
        }
        if round < 6 {
            for _ in 0..1 << round {
                std::hint::spin_loop();
            }
        } else {
            // Lets the thread we wait for run, on a machine with fewer cores than threads.
            std::thread::yield_now();
        }
    }
    ready()
}

#[cfg(not(loom))]
const SPIN_ROUNDS: u32 = 6 + 40;
