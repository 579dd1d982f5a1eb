// A loop that returns a trait object that is not `Send` (`Box<dyn Shape>`) from a worker
// thread: the loop's message, naming the box and saying to add `+ Send`, rather than rustc's
// report of `dyn Shape` through `Unique<dyn Shape>` and the runtime's bounds.
use failfast::fail_fast;

trait Shape {
    fn area(&self) -> f64;
}

struct Square(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

#[fail_fast(workers = 4)]
fn first_big(sides: &[f64]) -> Result<Option<Box<dyn Shape>>, String> {
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
fn any_big(sides: &[f64]) -> Option<Box<dyn Shape>> {
    for side in sides {
        if *side > 10.0 {
            return Some(Box::new(Square(*side)));
        }
    }
    None
}

fn main() {
    let _ = first_big(&[1.0]).map(|shape| shape.map(|s| s.area()));
    let _ = any_big(&[1.0]).map(|s| s.area());
}
