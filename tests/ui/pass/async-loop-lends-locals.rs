// An async loop's future is `Send` whenever the sequential loop's would be, also when the body
// uses a local that is `Send` but not `Sync` (a `Cell`, a `RefCell`, an mpsc `Receiver`) in its
// own code, the arguments of `format!` and `panic!` included, and `{hits:?}` in a format
// string: the sequential future holds it by value, and so does the parallel one, whose
// iterations all run on the task that polls it.
// A shared reference the body borrows from keeps its lifetime (`names.first()` below is
// returned), and a generic local needs only `Send` (a `Cell<u8>` below). A closure kept in a
// variable (`let bump = |k| hits.set(..)`) after the iteration's last `.await` holds a
// reference to the local only while it lives, as the sequential loop's closure does. So does
// a local that the loop's input uses too (`for i in 0..n + hits.get()`, `for job in
// self.batch()`), which is evaluated before the loan.
use failfast::fail_fast;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

#[fail_fast(workers = 4)]
async fn total(items: Vec<u32>) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    let cache = RefCell::new(HashMap::new());
    let (extra_tx, extra) = std::sync::mpsc::channel::<u32>();
    extra_tx.send(5).unwrap();
    for x in items {
        hits.set(hits.get() + x);
        if let Ok(more) = extra.try_recv() {
            hits.set(hits.get() + more);
        }
        cache.borrow_mut().insert(x, x * 2);
        tokio::time::sleep(Duration::from_millis(1)).await;
        if cache.borrow().get(&x) != Some(&(x * 2)) {
            return Err(format!("{x} was lost from {} entries", cache.borrow().len()));
        }
        if hits.get() < x {
            panic!("{} hits before {x}", hits.get());
        }
        if format!("{hits:?}") != format!("Cell {{ value: {} }}", hits.get()) {
            return Err(format!("{hits:?} printed wrong"));
        }
    }
    Ok(hits.get())
}

// The input reads the local too: it is evaluated before the loan, as the sequential loop
// evaluates it before its body.
#[fail_fast(workers = 4)]
async fn counted_up_to(n: u32) -> Result<u32, String> {
    let hits = Cell::new(1u32);
    for i in 0..n + hits.get() {
        tokio::task::yield_now().await;
        hits.set(hits.get() + i);
    }
    Ok(hits.get())
}

struct Queue {
    jobs: Vec<u32>,
    done: Cell<u32>,
}

impl Queue {
    fn finish(&self, job: u32) {
        self.done.set(self.done.get() + job);
    }

    /// Takes a batch: the input borrows `self` mutably for a moment.
    fn batch(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.jobs)
    }

    // `self` in the input, by a method on `&mut self` and by a field.
    #[fail_fast(workers = 2)]
    async fn drain(&mut self) -> Result<u32, String> {
        #[fail_fast]
        for job in self.batch() {
            tokio::task::yield_now().await;
            self.finish(job);
        }
        #[fail_fast]
        for i in 0..self.done.get() % 3 {
            tokio::task::yield_now().await;
            self.finish(i);
        }
        Ok(self.done.get())
    }
}

#[fail_fast(workers = 4)]
async fn serve(mut jobs: tokio::sync::mpsc::Receiver<u32>) -> Result<u32, String> {
    let done = Cell::new(0u32);
    while let Some(job) = jobs.recv().await {
        tokio::time::sleep(Duration::from_millis(1)).await;
        done.set(done.get() + job);
    }
    Ok(done.get())
}

async fn wanted(name: &str) -> bool {
    tokio::task::yield_now().await;
    name == "b"
}

#[fail_fast(workers = 4)]
async fn first_if_any_wanted<'a>(names: &'a [String], asked: Vec<&str>) -> Option<&'a String> {
    for name in asked {
        if wanted(name).await {
            return names.first();
        }
    }
    None
}

#[fail_fast(workers = 2)]
async fn tagged<T: Send + Clone + std::fmt::Debug>(tag: T, items: Vec<u32>) -> Result<String, String> {
    let seen = RefCell::new(Vec::new());
    for x in items {
        seen.borrow_mut().push((x, tag.clone()));
        tokio::task::yield_now().await;
    }
    let mut seen = seen.into_inner();
    seen.sort_by_key(|(x, _)| *x);
    Ok(format!("{seen:?}"))
}

async fn size(name: &str) -> Result<usize, String> {
    tokio::task::yield_now().await;
    Ok(name.len())
}

#[fail_fast(workers = 4)]
async fn fetched(names: Vec<String>) -> Result<usize, String> {
    let hits = Cell::new(0);
    for name in names {
        let n = size(&name).await?;
        let bump = |k: usize| hits.set(hits.get() + k);
        bump(n);
        let seen = || hits.get();
        if seen() < n {
            return Err(format!("{} hits after {name}", seen()));
        }
    }
    Ok(hits.get())
}

/// An actor: `Send`, not `Sync`.
struct Actor {
    handled: Cell<u32>,
    name: String,
}

impl Actor {
    fn handle(&self, id: u32) {
        self.handled.set(self.handled.get() + id);
    }

    // `self` is lent, also where the arguments of formatting macros use it (through a view of
    // its own, which a user's `this` does not meet, nor `r#this` in `tagged`).
    #[fail_fast(workers = 3)]
    async fn run(&mut self, ids: Vec<u32>) -> Result<u32, String> {
        let this = 100;
        for id in ids {
            tokio::time::sleep(Duration::from_millis(1)).await;
            self.handle(id);
            let line = format!("{}:{id}:{this}", self.name);
            assert_eq!(line, format!("a:{id}:100"), "{} at {id}", self.name);
            self.handle(id);
        }
        Ok(self.handled.get())
    }

    // A lent local written `r#this` beside `self` in one macro's arguments.
    #[fail_fast(workers = 3)]
    async fn tagged(&mut self, ids: Vec<u32>) -> Result<String, String> {
        let r#this = Cell::new(0);
        for id in ids {
            tokio::time::sleep(Duration::from_millis(1)).await;
            self.handle(id);
            r#this.set(r#this.get() + 1);
            assert!(r#this.get() <= 3, "{} of {}", r#this.get(), self.name);
        }
        Ok(format!("{} {}", self.name, r#this.get()))
    }
}

/// Handlers that a statement stores beyond itself: the closure given to `on` borrows `self`
/// for as long as `handlers` lives (so `self` is not lent there: in edition 2018, the closure
/// would capture a view of it that lives only as long as the statement).
struct Handlers<'a> {
    all: Vec<Box<dyn Fn(u32) + Send + Sync + 'a>>,
}

impl<'a> Handlers<'a> {
    fn on(&mut self, handler: impl Fn(u32) + Send + Sync + 'a) {
        self.all.push(Box::new(handler));
    }

    fn fire(&self, k: u32) {
        self.all.iter().for_each(|handler| handler(k));
    }
}

/// `Sync`: a closure that holds `&Self` may be stored and sent.
struct Counter {
    handled: std::sync::atomic::AtomicU32,
}

impl Counter {
    fn handle(&self, id: u32) {
        self.handled.fetch_add(id, std::sync::atomic::Ordering::Relaxed);
    }

    #[fail_fast(workers = 3)]
    async fn run(&mut self, ids: Vec<u32>) -> Result<u32, String> {
        for id in ids {
            tokio::time::sleep(Duration::from_millis(1)).await;
            self.handle(id);
            let mut handlers = Handlers { all: Vec::new() };
            handlers.on(|k| self.handle(k));
            handlers.fire(id);
        }
        Ok(self.handled.load(std::sync::atomic::Ordering::Relaxed))
    }
}

#[tokio::main]
async fn main() {
    let mut actor = Actor { handled: Cell::new(0), name: "a".into() };
    let run = tokio::spawn(async move { actor.run(vec![1, 2, 3]).await });
    assert_eq!(run.await.unwrap(), Ok(12));
    let mut actor = Actor { handled: Cell::new(0), name: "a".into() };
    let named = tokio::spawn(async move { actor.tagged(vec![1, 2, 3]).await });
    assert_eq!(named.await.unwrap().as_deref(), Ok("a 3"));
    let mut counter = Counter { handled: Default::default() };
    let run = tokio::spawn(async move { counter.run(vec![1, 2, 3]).await });
    assert_eq!(run.await.unwrap(), Ok(12));
    assert_eq!(
        tokio::spawn(fetched(vec!["a".into(), "bb".into()])).await.unwrap(),
        Ok(3)
    );
    assert_eq!(tokio::spawn(total((1..=10).collect())).await.unwrap(), Ok(60));
    // 1, then 0 + 1 + 2 + 3 + 4.
    assert_eq!(tokio::spawn(counted_up_to(4)).await.unwrap(), Ok(11));
    let mut queue = Queue { jobs: vec![1, 2, 4], done: Cell::new(0) };
    // 7, then 0 (7 % 3 = 1 round), and the jobs were taken.
    let drained = tokio::spawn(async move { (queue.drain().await, queue.jobs.len()) });
    assert_eq!(drained.await.unwrap(), (Ok(7), 0));

    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let served = tokio::spawn(serve(rx));
    for job in 1..=10 {
        tx.send(job).await.unwrap();
    }
    drop(tx);
    assert_eq!(served.await.unwrap(), Ok(55));

    let names = vec!["a".to_string(), "b".to_string()];
    let first = tokio::spawn(async move {
        first_if_any_wanted(&names, vec!["x", "b"]).await.cloned()
    });
    assert_eq!(first.await.unwrap().as_deref(), Some("a"));

    let tagged = tokio::spawn(tagged(Cell::new(7u8), vec![2, 1])).await.unwrap();
    assert_eq!(tagged.as_deref(), Ok("[(1, Cell { value: 7 }), (2, Cell { value: 7 })]"));
}
