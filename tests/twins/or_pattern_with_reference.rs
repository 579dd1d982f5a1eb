// An or-pattern whose cases take the same name, one through `&` and one by value.
use failfast::fail_fast;
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn check(items: Vec<Result<&u32, u32>>) -> Result<(), String> {
    for Ok(&x) | Err(x) in items {
        if x > 3 {
            return Err(format!("{x} is over 3"));
        }
    }
    Ok(())
}

// The same name by value in both cases: the rewrite's check binds it inside `Some(..)`.
#[fail_fast(workers = 4)]
fn check_owned(items: Vec<Result<u32, u32>>) -> Result<(), String> {
    for Ok(x) | Err(x) in items {
        if x > 3 {
            return Err(format!("{x} is over 3"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn check_queue(queue: &Mutex<Vec<Result<&u32, u32>>>) -> Result<(), String> {
    while let Some(Ok(&x) | Err(x)) = queue.lock().unwrap().pop() {
        if x > 3 {
            return Err(format!("{x} is over 3"));
        }
    }
    Ok(())
}

fn main() {
    assert!(check(vec![Ok(&1), Err(2)]).is_ok());
    assert!(check(vec![Ok(&1), Err(5)]).is_err());
    assert!(check_owned(vec![Ok(1), Err(5)]).is_err());
    assert!(check_queue(&Mutex::new(vec![Ok(&7)])).is_err());
}
