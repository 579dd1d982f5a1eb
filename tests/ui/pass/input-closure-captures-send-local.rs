// An adapter closure in the input that captures a local whose type the macro cannot see
// (`let bonus = bonus_of(..)`): when that local is `Send` and `Sync`, the input keeps the
// shared path, where the calling thread runs iterations too; an `Rc` capture is pulled by the
// calling thread, which then runs none.
use failfast::fail_fast;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};

fn bonus_of(level: u32) -> u32 {
    level * 10
}

#[fail_fast(workers = 2)]
fn send_capture(ran_on: &Mutex<HashSet<ThreadId>>, both: &Barrier) -> Result<(), String> {
    let bonus = bonus_of(1);
    for score in (0..2).map(move |i| i + bonus) {
        both.wait();
        if score > 100 {
            return Err(format!("{score} is too high"));
        }
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn rc_capture(ran_on: &Mutex<HashSet<ThreadId>>, both: &Barrier) -> Result<(), String> {
    let bonus = Rc::new(bonus_of(1));
    for score in (0..2).map(move |i| i + *bonus) {
        both.wait();
        if score > 100 {
            return Err(format!("{score} is too high"));
        }
        ran_on.lock().unwrap().insert(thread::current().id());
    }
    Ok(())
}

fn main() {
    let ran_on = Mutex::new(HashSet::new());
    assert_eq!(send_capture(&ran_on, &Barrier::new(2)), Ok(()));
    let ran_on = ran_on.into_inner().unwrap();
    assert!(ran_on.contains(&thread::current().id()), "a Send capture lost the shared path");

    let ran_on = Mutex::new(HashSet::new());
    assert_eq!(rc_capture(&ran_on, &Barrier::new(2)), Ok(()));
    let ran_on = ran_on.into_inner().unwrap();
    assert!(!ran_on.contains(&thread::current().id()), "an Rc capture was not fed by the caller");
}
