//! Whether the process has the address space for one more pool thread, under a limit on it
//! (`RLIMIT_AS`: `ulimit -v`, `prlimit --as`, some containers').
//!
//! Past that limit `std::thread::Builder::spawn` does not always return an error the loop can
//! carry on from: it first makes small allocations on the spawning thread (the new thread's
//! handle), and when one of those fails, the process aborts ("memory allocation of 96 bytes
//! failed"). A new runtime probe saw it in 7 of 10 runs of three nested 8-worker loops under
//! `ulimit -v 200000`. So a pool thread is started only while the limit leaves room for its
//! stack and for what a new thread reserves besides (glibc gives a thread that allocates an
//! arena of its own, 64 MiB of address space), with some to spare; otherwise its start is
//! refused, as the OS would refuse it, and the loop carries on with the threads it has.
//!
//! Under a limit, threads start one at a time, and each start waits for the new thread's
//! first allocation (which reserves its arena): otherwise several starting at once would all
//! be checked against the same reserved size (a second reader's probe of nested 32-worker
//! loops still aborted in 4 of 20 runs at one limit).

/// What a new thread may reserve besides its stack: a glibc malloc arena (64 MiB on 64-bit
/// targets), and room for the allocations of the threads already running.
const BESIDES_THE_STACK: u64 = 80 << 20;

/// The process's soft limit on its address space, if it has one (one system call).
#[cfg(not(target_os = "linux"))]
pub(crate) fn limit() -> Option<u128> {
    None
}

/// Whether a thread with a stack of `stack` bytes fits under `limit`, with
/// [`BESIDES_THE_STACK`] to spare (a read of `/proc/self/status`).
pub(crate) fn fits(limit: u128, stack: usize) -> bool {
    let Some(reserved) = reserved() else {
        return true;
    };
    // `u128`: `rlim_t` is 32 bits wide on some targets, 64 on others.
    u128::from(reserved) + stack as u128 + u128::from(BESIDES_THE_STACK) <= limit
}

/// The process's soft limit on its address space, if it has one (one system call).
#[cfg(target_os = "linux")]
pub(crate) fn limit() -> Option<u128> {
    // Miri runs no foreign function: its processes have no such limit.
    if cfg!(miri) {
        return None;
    }
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes only the `rlimit` it is given, which lives across the call.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) };
    (read == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(u128::from(limit.rlim_cur))
}

/// The address space the process has reserved (`VmSize`), in bytes.
fn reserved() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmSize:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}
