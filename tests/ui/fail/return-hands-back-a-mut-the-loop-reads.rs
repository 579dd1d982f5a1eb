// A `&mut` that a `return` hands back (`return Ok(self)`) while the loop's iterations also read
// it (`self.target`): other iterations may still be reading it when one hands it back. One
// error in the loop's words at the value, not "lifetime may not live long enough" naming the
// rewrite's closure; the note says to copy what the loop reads before it.
use failfast::fail_fast;

struct Finder {
    target: u32,
}

impl Finder {
    #[fail_fast(workers = 2)]
    fn find(&mut self, items: &[u32]) -> Result<&mut Self, String> {
        for &x in items {
            if x == self.target {
                return Ok(self);
            }
        }
        Err("none".into())
    }
}

#[fail_fast(workers = 2)]
fn first<'a>(finder: &'a mut Finder, items: &[u32]) -> Option<(u32, &'a mut Finder)> {
    for &x in items {
        if x == finder.target {
            return Some((x, finder));
        }
    }
    None
}

fn main() {
    let mut finder = Finder { target: 1 };
    let _ = finder.find(&[1]);
    let _ = first(&mut finder, &[1]);
}
