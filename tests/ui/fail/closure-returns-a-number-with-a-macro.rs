// A closure that returns a number holds a loop with `?`, and its body calls a macro that does
// not `return`: the error on the macro call says that it is the cause only if it returns
// `Ok(..)`, and what the closure must return.
use failfast::fail_fast;

macro_rules! note {
    ($($t:tt)*) => {
        let _ = format!($($t)*);
    };
}

#[fail_fast]
fn count(batches: &[Vec<u32>]) -> usize {
    let process = |batch: &Vec<u32>| {
        #[fail_fast(workers = 2)]
        for n in batch {
            note!("n = {n}");
            if *n == 13 {
                Err(format!("unlucky {n}"))?;
            }
        }
        batch.len()
    };
    batches.iter().map(process).sum()
}

fn main() {
    let _ = count(&[vec![1]]);
}
