// Closures holding a marked loop whose written return type leaves a part to inference:
// `-> _` and `-> Result<_, String>`.
use failfast::fail_fast;

#[fail_fast]
fn count(batches: &[Vec<u32>]) -> Result<usize, String> {
    let whole = |batch: &Vec<u32>| -> _ {
        #[fail_fast(workers = 2)]
        for n in batch {
            if *n == 13 {
                return Err(format!("unlucky {n}"));
            }
        }
        Ok(batch.len())
    };
    let part = |batch: &Vec<u32>| -> Result<_, String> {
        #[fail_fast(workers = 2)]
        for n in batch {
            if *n == 13 {
                return Err(format!("unlucky {n}"));
            }
        }
        Ok(batch.len())
    };
    let a: Result<usize, String> = batches.iter().map(whole).sum();
    let b: Result<usize, String> = batches.iter().map(part).sum();
    Ok(a? + b?)
}

fn main() {
    assert_eq!(count(&[vec![1, 2]]), Ok(4));
    assert!(count(&[vec![13]]).is_err());
}
