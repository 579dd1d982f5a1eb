// Fields that borrow, of a generic or unsized type, and beside a moved field: the rewrite's
// check of a field asks no `'static` and no `Sized`, and needs no use of the whole variable.
use failfast::fail_fast;
use std::fmt::Debug;

struct Cfg<'a> {
    name: &'a str,
}

#[fail_fast(workers = 2)]
fn borrowed_field(items: Vec<u32>, name: &str) {
    let owned = String::from("x");
    let cfg = Cfg { name: &owned };
    let pair = (name, 1);
    for i in items {
        println!("{} {} {i}", cfg.name, pair.0);
    }
}

pub struct Parser<'a> {
    input: &'a str,
    n: usize,
}

impl Parser<'_> {
    #[fail_fast(workers = 2)]
    pub fn scan(&mut self) {
        for i in 0..self.n {
            println!("{i} {}", self.input.len());
        }
    }
}

pub struct Pool<T> {
    items: Vec<T>,
    n: usize,
}

impl<T: Sync + Debug> Pool<T> {
    #[fail_fast(workers = 2)]
    pub fn show(&mut self) {
        for i in 0..self.n {
            println!("{i} {:?}", self.items);
        }
    }
}

pub struct Wrapper<T: ?Sized> {
    count: usize,
    inner: T,
}

impl<T: ?Sized + Sync + Debug> Wrapper<T> {
    #[fail_fast(workers = 2)]
    pub fn show(&mut self) {
        for i in 0..self.count {
            println!("{i} {:?}", &self.inner);
        }
    }
}

struct Job {
    items: Vec<u32>,
    name: String,
}

#[fail_fast(workers = 2)]
fn partly_moved(job: Job) {
    for i in job.items {
        println!("{i} {}", job.name);
    }
}

fn main() {
    borrowed_field(vec![1, 2], "n");
    let s = String::from("ab");
    Parser { input: &s, n: 2 }.scan();
    let v = 1;
    Pool { items: vec![&v], n: 2 }.show();
    let mut w = Wrapper { count: 2, inner: [1u8, 2] };
    w.show();
    let unsized_inner: &mut Wrapper<[u8]> = &mut w;
    unsized_inner.show();
    partly_moved(Job { items: vec![1], name: String::new() });
}
