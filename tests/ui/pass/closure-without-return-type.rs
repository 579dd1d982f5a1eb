// A closure holding a marked loop needs no written return type: rustc infers it from the
// closure's tail, or from how the closure is used, as for an async block.
use failfast::fail_fast;

#[fail_fast]
fn check_batches(batches: &[Vec<u32>]) -> Result<(), String> {
    let process = |batch: &Vec<u32>| {
        #[fail_fast(workers = 2)]
        for n in batch {
            if *n == 13 {
                Err(format!("unlucky {n}"))?;
            }
        }
        Ok::<(), String>(())
    };
    for batch in batches {
        process(batch)?;
    }
    Ok(())
}

#[fail_fast]
fn first_batch(batches: &[Vec<u32>]) -> Option<u32> {
    let largest = |batch: &Vec<u32>| {
        #[fail_fast(workers = 2)]
        for &n in batch {
            if n > 100 {
                return Some(n);
            }
        }
        None
    };
    largest(&batches[0])
}

fn main() {
    assert_eq!(check_batches(&[vec![1, 2], vec![3]]), Ok(()));
    assert_eq!(check_batches(&[vec![1, 2], vec![13]]), Err("unlucky 13".into()));
    assert_eq!(first_batch(&[vec![1, 200]]), Some(200));
    assert_eq!(first_batch(&[vec![1, 2]]), None);
}
