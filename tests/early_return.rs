//! `return` in a thread loop's body ends the whole loop like a failure: the first to return
//! wins, nothing new starts after it (but for the racing bound), a panic beats it, and with one
//! worker it is the sequential loop's result exactly.
use failfast::{cancelled, fail_fast};
use std::panic::{catch_unwind, panic_any, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};

#[fail_fast(workers = 4)]
fn search(started_after: &AtomicUsize) -> Result<Option<usize>, String> {
    for i in 0.. {
        // Once the return is recorded the loop is cancelled: an iteration that starts
        // after that sees it.
        if cancelled() {
            started_after.fetch_add(1, Ordering::SeqCst);
        }
        if i == 1_000 {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

#[test]
fn the_first_return_wins_and_cancels_an_endless_input() {
    let started_after = AtomicUsize::new(0);
    assert_eq!(search(&started_after), Ok(Some(1_000)));
    assert!(
        started_after.into_inner() <= 3,
        "at most workers - 1 iterations started after the return"
    );
}

#[fail_fast(workers = 4)]
fn first_of_four(all_running: &Barrier) -> Result<usize, String> {
    for i in 0..4 {
        all_running.wait();
        if i != 2 {
            while !cancelled() {
                std::thread::yield_now();
            }
            // Returned after the winner: dropped.
            return Ok(100 + i);
        }
        return Ok(i);
    }
    Ok(99)
}

#[test]
fn later_returns_are_dropped() {
    assert_eq!(first_of_four(&Barrier::new(4)), Ok(2));
}

#[fail_fast(workers = 2)]
fn panic_and_return(both_running: &Barrier) -> Result<u32, String> {
    for i in 0..2 {
        both_running.wait();
        if i == 0 {
            return Ok(1);
        }
        panic_any("a panic beats a return");
    }
    Ok(0)
}

#[test]
fn a_panic_wins_over_a_return() {
    let payload = catch_unwind(AssertUnwindSafe(|| panic_and_return(&Barrier::new(2))))
        .expect_err("the panic resumes on the caller");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"a panic beats a return")
    );
}

#[fail_fast(workers = 1)]
fn sequential(values: &[i32], seen: &Mutex<Vec<i32>>) -> Option<i32> {
    for &value in values {
        seen.lock().unwrap().push(value);
        if value < 0 {
            return Some(value);
        }
    }
    None
}

#[test]
fn one_worker_returns_what_the_sequential_loop_returns() {
    let seen = Mutex::new(Vec::new());
    assert_eq!(sequential(&[3, -1, 4, -5], &seen), Some(-1));
    assert_eq!(
        seen.into_inner().unwrap(),
        vec![3, -1],
        "in order, nothing after the return"
    );
}

// A `return` or `continue` written in the arm of a `select!`, which pastes the arm where it is
// called: it leaves the iteration as one written in the body does.
#[fail_fast(workers = 4)]
fn first_ready_over(
    channels: &[crossbeam_channel::Receiver<u32>],
    bound: u32,
) -> Result<Option<u32>, String> {
    for rx in channels {
        crossbeam_channel::select! {
            recv(rx) -> message => {
                let value = message.map_err(|e| e.to_string())?;
                if value <= bound {
                    continue;
                }
                return Ok(Some(value));
            }
            default => return Err("a channel was empty".to_string()),
        }
    }
    Ok(None)
}

#[test]
fn a_return_in_a_select_arm_returns_from_the_function() {
    // The senders stay: an empty channel is then empty, not disconnected.
    let (senders, channels): (Vec<_>, Vec<_>) =
        (0..3).map(|_| crossbeam_channel::bounded(1)).unzip();
    for (tx, value) in senders.iter().zip([3, 30, 4]) {
        tx.send(value).unwrap();
    }
    assert_eq!(first_ready_over(&channels, 10), Ok(Some(30)));
    for tx in &senders {
        tx.try_send(1).ok();
    }
    assert_eq!(first_ready_over(&channels, 10), Ok(None));
    // The second channel is empty: its arm fails the loop.
    senders[0].try_send(1).ok();
    assert_eq!(
        first_ready_over(&channels[..2], 10).map_err(|_| ()),
        Err(())
    );
}

// A macro of the user's own that pastes an arm into a loop of its own: the `continue` there is
// that loop's, not the parallel loop's (only `select!`'s arms are the body's).
macro_rules! each {
    ($n:expr => $body:block) => {
        for _ in 0..$n {
            $body
        }
    };
}

#[fail_fast(workers = 2)]
fn added_thrice(xs: &[u32], total: &AtomicUsize) -> Result<(), String> {
    for &x in xs {
        each!(3 => {
            if x == 0 {
                continue;
            }
            total.fetch_add(x as usize, Ordering::SeqCst);
        });
        total.fetch_add(100, Ordering::SeqCst);
    }
    Ok(())
}

#[test]
fn a_continue_in_a_users_macro_arm_stays_its_own() {
    let total = AtomicUsize::new(0);
    assert_eq!(added_thrice(&[1, 0, 2], &total), Ok(()));
    assert_eq!(total.into_inner(), 309);
}
