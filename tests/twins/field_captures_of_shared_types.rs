// Fields read through variables whose type is `Sync` by hand while a field is not: through an
// `Arc` parameter, `self: Arc<Self>`, a local reference, and a variable also used whole. The
// closure captures the variable (or the reference) there, not the field, so the field need
// not be `Sync`.
use failfast::fail_fast;
use std::cell::Cell;
use std::sync::Arc;

pub struct S {
    hits: Cell<u32>,
    name: String,
}
// SAFETY: `hits` is only read while the value is shared, in this example.
unsafe impl Sync for S {}
// SAFETY: as above.
unsafe impl Send for S {}

fn look(_: &S) {}

impl S {
    #[fail_fast(workers = 2)]
    pub fn run(self: Arc<Self>, items: Vec<u32>) {
        for i in items {
            println!("{i} {}", self.hits.get());
        }
    }
}

#[fail_fast(workers = 2)]
fn through_arc(items: Vec<u32>, s: Arc<S>) {
    for i in items {
        println!("{i} {}", s.hits.get());
    }
}

#[fail_fast(workers = 2)]
fn through_a_reference(items: Vec<u32>, s: S) {
    let r = &s;
    for i in items {
        println!("{i} {} {}", r.name, r.hits.get());
    }
}

#[fail_fast(workers = 2)]
fn used_whole(items: Vec<u32>, s: S) {
    for i in items {
        look(&s);
        println!("{i} {}", s.hits.get());
    }
}

#[fail_fast(workers = 2)]
fn through_a_clone(items: Vec<u32>, a: Arc<S>) {
    let c = a.clone();
    for i in items {
        println!("{i} {}", c.hits.get());
    }
}

fn new() -> S {
    S { hits: Cell::new(0), name: String::new() }
}

fn main() {
    Arc::new(new()).run(vec![1]);
    through_arc(vec![1], Arc::new(new()));
    through_a_reference(vec![1], new());
    used_whole(vec![1], new());
    through_a_clone(vec![1], Arc::new(new()));
}
