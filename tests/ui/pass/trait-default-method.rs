// A trait's default method can hold the parallel loop.
use failfast::fail_fast;

trait Checker: Sync {
    fn check(&self, item: u32) -> Result<(), u32>;

    #[fail_fast(workers = 2)]
    fn check_all(&self, items: Vec<u32>) -> Result<(), u32> {
        for item in items {
            self.check(item)?;
        }
        Ok(())
    }
}

struct BelowTen;

impl Checker for BelowTen {
    fn check(&self, item: u32) -> Result<(), u32> {
        if item < 10 { Ok(()) } else { Err(item) }
    }
}

fn main() {
    assert_eq!(BelowTen.check_all(vec![1, 2, 3]), Ok(()));
    assert_eq!(BelowTen.check_all(vec![1, 12, 3]), Err(12));
}
