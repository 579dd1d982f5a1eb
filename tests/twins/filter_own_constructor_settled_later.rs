// A filter capturing a value of the user's own generic type, built by a constructor of its own
// name, whose type parameter is given only after the loop.
use failfast::fail_fast;
use std::rc::Rc;

struct Bag<T> {
    items: Vec<T>,
}

impl<T> Bag<T> {
    fn empty() -> Self {
        Bag { items: Vec::new() }
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn add(&mut self, item: T) {
        self.items.push(item);
    }
}

#[fail_fast(workers = 4)]
fn small(values: &[usize]) -> Result<usize, String> {
    let mut bag = Bag::empty();
    for value in values.iter().filter(|&&v| v > bag.len()) {
        if *value > 1000 {
            return Err(format!("{value} is too big"));
        }
    }
    bag.add(Rc::new(1));
    Ok(bag.len())
}

// The same, built by a struct literal.
#[fail_fast(workers = 4)]
fn small_literal(values: &[usize]) -> Result<usize, String> {
    let mut bag = Bag { items: Vec::new() };
    for value in values.iter().filter(|&&v| v > bag.len()) {
        if *value > 1000 {
            return Err(format!("{value} is too big"));
        }
    }
    bag.add(Rc::new(1));
    Ok(bag.len())
}

fn main() {
    assert_eq!(small(&[1, 2]), Ok(1));
    assert_eq!(small_literal(&[1, 2]), Ok(1));
}
