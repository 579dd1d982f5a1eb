// `#[fail_fast]` on a trait's method declared without a body: the loop is in each `impl`'s
// method, so the message says to put it there (or give the declaration a default body).
use failfast::fail_fast;

trait Checker {
    #[fail_fast(workers = 4)]
    fn check_all(&self, items: &[u32]) -> Result<(), String>;
}

struct Positive;

impl Checker for Positive {
    fn check_all(&self, items: &[u32]) -> Result<(), String> {
        for item in items {
            if *item == 0 {
                return Err(String::from("zero"));
            }
        }
        Ok(())
    }
}

fn main() {
    let _ = Positive.check_all(&[1]);
}
