// A closure holding a marked loop, with no written return type.
use failfast::fail_fast;

#[fail_fast]
fn run(batches: &[Vec<u32>]) -> Result<(), String> {
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

fn main() {
    assert!(run(&[vec![1, 2]]).is_ok());
}
