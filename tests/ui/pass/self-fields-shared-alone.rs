// An `&self` method whose loop reads only fields that are `Sync` (`self.allowed`,
// `self.hits`), of a type that also holds one that is not (a `RefCell` cache): the iterations
// share those fields alone, as the sequential loop uses them, not all of `self`.
use failfast::fail_fast;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

struct Service {
    allowed: Vec<String>,
    limits: Limits,
    hits: AtomicU32,
    cache: RefCell<Vec<String>>,
}

struct Limits {
    longest: usize,
}

impl Service {
    #[fail_fast(workers = 4)]
    fn check(&self, users: &[&str]) -> Result<u32, String> {
        for user in users {
            if !self.allowed.iter().any(|allowed| allowed == user) {
                return Err(format!("{user} is not allowed"));
            }
            if user.len() > self.limits.longest {
                return Err(format!("{user} is too long"));
            }
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        self.cache.borrow_mut().push("checked".to_string());
        Ok(self.hits.load(Ordering::Relaxed))
    }
}

fn main() {
    let service = Service {
        allowed: vec!["ann".to_string(), "bob".to_string()],
        limits: Limits { longest: 3 },
        hits: AtomicU32::new(0),
        cache: RefCell::new(Vec::new()),
    };
    assert_eq!(service.check(&["ann", "bob", "ann"]), Ok(3));
    assert_eq!(service.check(&["eve"]), Err("eve is not allowed".to_string()));
    assert_eq!(service.cache.borrow().len(), 1);
}
