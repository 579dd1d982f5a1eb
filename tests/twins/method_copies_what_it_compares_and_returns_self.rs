// A `&mut self` method that copies what its loop compares before the loop, so that the loop
// mentions `self` only where it hands it back; and the same by value with a `clone`.
use failfast::fail_fast;

#[derive(Debug)]
struct Finder {
    target: u32,
    name: String,
}

impl Finder {
    #[fail_fast(workers = 4)]
    fn find(&mut self, items: &[u32]) -> Result<&mut Self, String> {
        let target = self.target;
        for &x in items {
            if x == target {
                return Ok(self);
            }
        }
        Err(format!("no {target}"))
    }

    #[fail_fast(workers = 4)]
    fn named(self, names: Vec<String>) -> Option<Self> {
        let wanted = self.name.clone();
        for name in names {
            if name == wanted {
                return Some(self);
            }
        }
        None
    }
}

fn main() {
    let mut finder = Finder {
        target: 3,
        name: "c".into(),
    };
    finder.find(&[1, 3]).unwrap().target += 1;
    assert_eq!(finder.target, 4);
    assert!(finder.named(vec!["c".into()]).is_some());
}
