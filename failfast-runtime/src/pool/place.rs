//! Where a pool thread runs: off the core of the thread that started it, while the loop's
//! threads still fit on the cores.
//!
//! # Why
//!
//! A thread that starts a pool thread goes on working (the loop's caller works too), so the
//! two only run at full speed on two cores. Which core the new thread gets is the operating
//! system's choice, and some kernels put it beside the thread that woke it: measured on the
//! 2-core Linux VM of the README's figures, a new or long-asleep pool thread began on the
//! caller's core in most first calls of a process, and the two then shared that core for
//! 3 to 20 ms, until the kernel's load balancer moved one of them (the first calls of
//! `cargo bench --bench cold_start` took up to 2x the time of later ones). The caller leaving
//! its core to the new thread for a moment (a hand-over, which is what rayon's blocked caller
//! amounts to) did not help there: the caller, woken again, was put back on the same busy
//! core just as often.
//!
//! # How
//!
//! The starter passes its core along with the job ([`Origin`]); the pool thread, when it
//! begins the job, compares it with its own, and if they are the same, moves itself: it
//! narrows its allowed cores to all but that one, which makes the kernel move it at once, and
//! widens them again to what they were, which leaves it where it now is. That is two system
//! calls, paid only by a thread that found itself on its starter's core, once per job, and
//! only while the loop's threads do not outnumber the cores (beyond that, sharing a core is
//! what the limit asks for). It changes nothing that a user set: a thread whose allowed cores
//! are only its starter's stays, and the set it had is restored.
//!
//! On other systems, and under Miri and loom, [`Origin::here`] is `None` and nothing moves.

/// The core of the thread that started a job, for the pool thread that runs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin(#[allow(dead_code)] usize);

impl Origin {
    /// The core this thread runs on now, if the system says.
    #[cfg(all(target_os = "linux", not(miri), not(loom)))]
    pub(crate) fn here() -> Option<Origin> {
        // SAFETY: `sched_getcpu` takes no arguments and only returns a number.
        let cpu = unsafe { libc::sched_getcpu() };
        usize::try_from(cpu).ok().map(Origin)
    }

    #[cfg(not(all(target_os = "linux", not(miri), not(loom))))]
    pub(crate) fn here() -> Option<Origin> {
        None
    }

    /// Called by the pool thread as it begins the job: moves it off the starter's core if it
    /// is on it (see the module docs).
    #[cfg(all(target_os = "linux", not(miri), not(loom)))]
    pub(crate) fn leave(self) {
        let Origin(theirs) = self;
        if Origin::here().is_none_or(|Origin(mine)| mine != theirs) {
            return;
        }
        // SAFETY: `cpu_set_t` is plain data, for which all zeroes is the empty set.
        let mut allowed: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: `allowed` is a `cpu_set_t` of `size` bytes that the call may write; pid 0
        // is this thread.
        if unsafe { libc::sched_getaffinity(0, size, &mut allowed) } != 0 {
            return;
        }
        let mut elsewhere = allowed;
        if theirs >= libc::CPU_SETSIZE as usize {
            return;
        }
        // SAFETY: `theirs` is below `CPU_SETSIZE`, the number of cores a `cpu_set_t` holds.
        let others = unsafe {
            libc::CPU_CLR(theirs, &mut elsewhere);
            libc::CPU_COUNT(&elsewhere)
        };
        if others == 0 {
            // Only the starter's core is allowed: a choice that is not ours to undo.
            return;
        }
        // SAFETY: both sets are `cpu_set_t`s of `size` bytes, only read by the calls; pid 0
        // is this thread. The first call moves the thread off the starter's core before it
        // returns; the second gives back the set it had.
        // Giving back the set the thread had just now fails only if the cores allowed to the
        // process shrank meanwhile (a cpuset changed); the thread then keeps the narrower set
        // it was moved with, which the system allows, rather than fail the loop.
        unsafe {
            if libc::sched_setaffinity(0, size, &elsewhere) == 0 {
                libc::sched_setaffinity(0, size, &allowed);
            }
        }
    }

    #[cfg(not(all(target_os = "linux", not(miri), not(loom))))]
    pub(crate) fn leave(self) {}

    /// Called by the thread that started or woke a pool thread with an [`Origin`]: gives
    /// this core to any thread queued on it, which the new one may be (see the module docs).
    /// Costs a system call that returns at once when no thread is queued here.
    pub(crate) fn make_way() {
        #[cfg(not(loom))]
        std::thread::yield_now();
    }
}

#[cfg(all(test, target_os = "linux", not(miri), not(loom)))]
mod tests {
    use super::Origin;

    fn allowed() -> libc::cpu_set_t {
        // SAFETY: as in `leave`: a zeroed `cpu_set_t` is the empty set, which the call fills.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            assert_eq!(
                libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set),
                0
            );
            set
        }
    }

    fn only(cpu: usize) -> libc::cpu_set_t {
        // SAFETY: as above; `cpu` comes from `sched_getcpu`, below `CPU_SETSIZE`.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(cpu, &mut set);
            set
        }
    }

    fn set_allowed(set: &libc::cpu_set_t) {
        // SAFETY: `set` is a `cpu_set_t` of the size given, only read.
        let done = unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(set), set) };
        assert_eq!(done, 0);
    }

    fn count(set: &libc::cpu_set_t) -> u32 {
        // SAFETY: `set` is a valid `cpu_set_t`.
        unsafe { libc::CPU_COUNT(set) as u32 }
    }

    #[test]
    fn a_thread_on_its_starters_core_moves_off_it_and_keeps_its_allowed_cores() {
        // On a thread of its own: the test changes where the thread may run.
        std::thread::spawn(|| {
            let before = allowed();
            if count(&before) < 2 {
                // One core: there is nowhere to go, which the next test checks.
                return;
            }
            // Once its cores are given back, the system may put the thread back on the core
            // it left before it looks (a busy machine preempts it in between: CI once saw
            // that beside a stress test), so most moves must hold, not all; a `leave` that
            // did nothing would leave it where it is nearly every time.
            let mut moved = 0;
            for _ in 0..20 {
                let Some(here) = Origin::here() else {
                    panic!("Linux says which core a thread runs on");
                };
                here.leave();
                let Some(Origin(now)) = Origin::here() else {
                    unreachable!()
                };
                moved += usize::from(now != here.0);
                let after = allowed();
                // SAFETY: both are valid `cpu_set_t`s.
                assert!(
                    unsafe { libc::CPU_EQUAL(&before, &after) },
                    "its cores changed"
                );
            }
            assert!(
                moved >= 15,
                "still on the core it was told to leave after {} of 20 moves",
                20 - moved
            );
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_thread_allowed_only_its_starters_core_stays() {
        std::thread::spawn(|| {
            let Some(Origin(here)) = Origin::here() else {
                panic!("Linux says which core a thread runs on");
            };
            let one = only(here);
            set_allowed(&one);
            Origin(here).leave();
            assert_eq!(Origin::here().map(|Origin(cpu)| cpu), Some(here));
            // SAFETY: both are valid `cpu_set_t`s.
            assert!(unsafe { libc::CPU_EQUAL(&one, &allowed()) });
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_thread_elsewhere_is_left_where_it_is() {
        std::thread::spawn(|| {
            let Some(Origin(here)) = Origin::here() else {
                panic!("Linux says which core a thread runs on");
            };
            // Told to leave a core it is not on (pinned to its own, so that it cannot drift
            // there), it stays.
            set_allowed(&only(here));
            Origin(here + 1).leave();
            assert_eq!(Origin::here().map(|Origin(cpu)| cpu), Some(here));
        })
        .join()
        .unwrap();
    }
}
