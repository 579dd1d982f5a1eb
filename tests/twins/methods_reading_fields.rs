// Methods whose loop reads one field of `self` while the input borrows another, mutably or
// by moving it, and a tuple struct's field: each is a place of its own.
use failfast::fail_fast;

struct Limits {
    most: u32,
}

struct Batch {
    items: Vec<u32>,
    limits: Limits,
    name: String,
}

struct Scale(u32, String);

impl Batch {
    #[fail_fast(workers = 4)]
    fn double_all(&mut self) -> Result<(), String> {
        for item in self.items.iter_mut() {
            if *item > self.limits.most {
                return Err(format!("{item} is over {} in {}", self.limits.most, self.name));
            }
            *item *= 2;
        }
        Ok(())
    }

    #[fail_fast(workers = 4)]
    fn into_report(self) -> Result<Vec<String>, String> {
        let lines = std::sync::Mutex::new(Vec::new());
        for item in self.items {
            lines.lock().unwrap().push(format!("{}: {item}", self.name));
        }
        Ok(lines.into_inner().unwrap())
    }
}

impl Scale {
    #[fail_fast(workers = 4)]
    fn scaled(&mut self, items: &mut [u32]) {
        for item in items.iter_mut() {
            *item *= self.0;
            println!("{}", self.1);
        }
    }
}

fn main() {
    let mut batch = Batch { items: vec![1, 2], limits: Limits { most: 5 }, name: "b".into() };
    batch.double_all().unwrap();
    assert_eq!(batch.items, [2, 4]);
    assert_eq!(batch.into_report().map(|lines| lines.len()), Ok(2));
    let mut items = [1, 2];
    Scale(3, "x".into()).scaled(&mut items);
    assert_eq!(items, [3, 6]);
}
