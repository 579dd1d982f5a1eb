// A method whose input's closure captures `self`, and a `flat_map` with a closure inside.
use failfast::fail_fast;

struct Grid {
    width: usize,
    height: usize,
}

impl Grid {
    #[fail_fast(workers = 2)]
    fn check(&self) -> Result<(), String> {
        for (x, y) in (0..self.height).flat_map(|y| (0..self.width).map(move |x| (x, y))) {
            if x > 1_000 || y > 1_000 {
                return Err(format!("({x}, {y}) is out of range"));
            }
        }
        Ok(())
    }
}

fn main() {
    assert!(Grid { width: 2, height: 2 }.check().is_ok());
}
