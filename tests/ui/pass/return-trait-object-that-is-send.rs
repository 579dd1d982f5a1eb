// A loop that returns a trait object from a worker thread: `dyn Shape + Send`, or a trait
// whose supertrait is `Send`, crosses threads as the sequential loop's value would.
use failfast::fail_fast;

trait Shape {
    fn area(&self) -> f64;
}

trait SentShape: Send {
    fn sides(&self) -> u32;
}

struct Square(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

impl SentShape for Square {
    fn sides(&self) -> u32 {
        4
    }
}

#[fail_fast(workers = 4)]
fn first_big(sides: &[f64]) -> Result<Option<Box<dyn Shape + Send>>, String> {
    for side in sides {
        if *side < 0.0 {
            return Err(format!("negative side {side}"));
        }
        if *side > 10.0 {
            return Ok(Some(Box::new(Square(*side))));
        }
    }
    Ok(None)
}

#[fail_fast(workers = 4)]
fn any_big(sides: &[f64]) -> Option<Box<dyn SentShape>> {
    for side in sides {
        if *side > 10.0 {
            return Some(Box::new(Square(*side)));
        }
    }
    None
}

fn main() {
    let big = first_big(&[1.0, 20.0]).unwrap().unwrap();
    assert_eq!(big.area(), 400.0);
    assert!(first_big(&[1.0, -1.0]).is_err());
    assert_eq!(any_big(&[11.0]).map(|s| s.sides()), Some(4));
    assert!(any_big(&[1.0]).is_none());
}
