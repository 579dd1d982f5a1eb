// A trait default method whose loop body uses a `RefCell` declared outside it.
use failfast::fail_fast;
use std::cell::RefCell;

trait Report {
    fn lines(&self) -> Vec<String>;

    #[fail_fast(workers = 4)]
    fn longest(&self) -> Result<usize, String> {
        let longest = RefCell::new(0);
        for line in self.lines() {
            let mut longest = longest.borrow_mut();
            *longest = (*longest).max(line.len());
        }
        Ok(longest.into_inner())
    }
}

fn main() {}
