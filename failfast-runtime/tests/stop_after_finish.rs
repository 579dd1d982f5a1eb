//! A stop that comes after a loop's last iteration has finished and its input is exhausted
//! changes nothing, also in the moment before the loop's owner has noticed: the loop
//! succeeds. The runtime's test-only hook stops the token at exactly that moment.
mod common;

use common::Path;
use failfast_runtime::fault::on_finished;
use failfast_runtime::{Loop, StopToken, Stopped};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};

/// The hook is process-wide: one test at a time sets it.
fn hook() -> MutexGuard<'static, ()> {
    static HOOK: Mutex<()> = Mutex::new(());
    HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Clears the hook when dropped, also if the test fails.
struct Unhook;

impl Drop for Unhook {
    fn drop(&mut self) {
        on_finished(None);
    }
}

#[test]
fn a_stop_between_the_last_iteration_and_the_owner_returning_changes_nothing() {
    let _hook = hook();
    let _unhook = Unhook;
    for path in Path::ALL {
        for workers in [1, 2, 4] {
            for items in [0, 1, 50] {
                let token = StopToken::new();
                let stops = Arc::new(AtomicUsize::new(0));
                on_finished(Some(Box::new({
                    let (token, stops) = (token.clone(), Arc::clone(&stops));
                    move || {
                        stops.fetch_add(1, SeqCst);
                        token.stop();
                    }
                })));
                let ran = AtomicUsize::new(0);
                let result: Result<(), Stopped> =
                    path.try_for_each_with(0..items, Loop::new(workers).stop(&token), |_| {
                        ran.fetch_add(1, SeqCst);
                        Ok(())
                    });
                on_finished(None);
                let what = format!("{path:?}, {workers} workers, {items} items");
                assert_eq!(stops.load(SeqCst), 1, "{what}: the loop finished once");
                assert!(token.is_stopped(), "{what}");
                assert_eq!(ran.load(SeqCst), items, "{what}");
                assert_eq!(result, Ok(()), "{what}: stopped after it had finished");
            }
        }
    }
}
