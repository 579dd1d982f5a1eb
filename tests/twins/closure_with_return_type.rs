// A closure with a written return type, holding a marked loop.
use failfast::fail_fast;

#[fail_fast]
fn run(groups: &[Vec<i32>]) -> Result<(), String> {
    let positive = |group: &[i32]| -> Result<(), String> {
        #[fail_fast(workers = 2)]
        for &n in group {
            if n < 0 {
                return Err(format!("{n} is negative"));
            }
        }
        Ok(())
    };
    for group in groups {
        positive(group)?;
    }
    Ok(())
}

fn main() {
    assert!(run(&[vec![1]]).is_ok());
}
