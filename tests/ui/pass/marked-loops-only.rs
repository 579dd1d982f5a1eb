// With markers, only the marked loops run in parallel; unmarked loops stay sequential and
// keep `break`. Markers may be in closures, and take their own options.
use failfast::fail_fast;
use std::sync::Mutex;

#[fail_fast(workers = 2)]
fn run(items: &[u32], log: &Mutex<Vec<u32>>) -> Result<u32, String> {
    let mut first_big = 0;
    for &item in items {
        if item > 5 {
            first_big = item;
            break;
        }
    }
    #[fail_fast(workers = 3)]
    for &item in items {
        log.lock().unwrap().push(item);
    }
    let check = |limit: u32| -> Result<(), String> {
        #[fail_fast]
        for &item in items {
            if item > limit {
                Err(format!("{item} > {limit}"))?;
            }
        }
        Ok(())
    };
    check(100)?;
    assert_eq!(check(7), Err("8 > 7".to_string()));
    Ok(first_big)
}

fn main() {
    let log = Mutex::new(Vec::new());
    assert_eq!(run(&[1, 6, 8], &log), Ok(6));
    let mut log = log.into_inner().unwrap();
    log.sort();
    assert_eq!(log, [1, 6, 8]);
}
