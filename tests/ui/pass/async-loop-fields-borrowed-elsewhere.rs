// An async loop whose body uses a value only through its fields (`stats.ok`, `self.ok`), while
// another of its fields is borrowed or moved outside the loop, or a reference the body takes
// through a field outlives the loop: each iteration borrows the fields it uses, as the
// sequential loop does, and these compile. A loan of the whole value, which would keep the
// loop's future `Send` with a `Cell` field, broke each of them (two attempts, reverted), and
// loans of the fields one by one, taken before the loop (a third, reverted), broke the last
// four: a field of a `#[repr(packed)]` value, a reference taken through a `&mut` field that
// nothing written shows, and fields reached through a `Deref` that must run at each use (a
// handle to a thread's own data, where a loan taken once shared one thread's `Cell` with
// others). A later way to keep that future `Send` must keep every function here compiling,
// and the results `main` checks.
use failfast::fail_fast;
use failfast::StopToken;
use std::cell::Cell;
use std::ops::Deref;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::{self, ThreadId};
use tokio::sync::mpsc;

struct Stats {
    ok: Cell<u32>,
    name: String,
    log: Vec<String>,
}

// A field moved out before the loop.
#[fail_fast(workers = 2)]
async fn moved_before(ids: Vec<u32>, stats: Stats) -> Result<(u32, String), String> {
    let name = stats.name;
    for id in ids {
        tokio::task::yield_now().await;
        stats.ok.set(stats.ok.get() + id);
    }
    Ok((stats.ok.get(), name))
}

// A field borrowed mutably across the loop.
#[fail_fast(workers = 2)]
async fn borrowed_across(ids: Vec<u32>, stats: &mut Stats) -> Result<usize, String> {
    let log = &mut stats.log;
    log.push("start".into());
    for id in ids {
        tokio::task::yield_now().await;
        stats.ok.set(stats.ok.get() + id);
    }
    log.push("end".into());
    Ok(log.len())
}

struct Worker {
    ok: Cell<u32>,
    jobs: Vec<u32>,
    rx: mpsc::Receiver<u32>,
    log: Vec<String>,
}

impl Worker {
    // The input drains another field.
    #[fail_fast(workers = 2)]
    async fn drained(&mut self) -> Result<u32, String> {
        let jobs = self.jobs.drain(..);
        for id in jobs {
            tokio::task::yield_now().await;
            self.ok.set(self.ok.get() + id);
        }
        Ok(self.ok.get())
    }

    // The head receives through another field, borrowed before the loop.
    #[fail_fast(workers = 2)]
    async fn received(&mut self) -> Result<u32, String> {
        let rx = &mut self.rx;
        while let Some(id) = rx.recv().await {
            tokio::task::yield_now().await;
            self.ok.set(self.ok.get() + id);
        }
        Ok(self.ok.get())
    }

    // A closure holds another field mutably across the loop.
    #[fail_fast(workers = 2)]
    async fn noted(&mut self, ids: Vec<u32>) -> Result<usize, String> {
        let mut note = |s: &str| self.log.push(s.into());
        note("start");
        for id in ids {
            tokio::task::yield_now().await;
            self.ok.set(self.ok.get() + id);
        }
        note("end");
        Ok(self.log.len())
    }

    // Another field borrowed after the loop, in a loop around it, and still borrowed during the
    // loop's next round.
    #[fail_fast(workers = 2)]
    async fn rounds(&mut self, ids: Vec<u32>) -> Result<usize, String> {
        let mut held: Option<&mut Vec<String>> = None;
        for round in 0..3 {
            #[fail_fast(workers = 2)]
            for id in ids.clone() {
                tokio::task::yield_now().await;
                self.ok.set(self.ok.get() + id);
            }
            if let Some(log) = held.as_mut() {
                log.push(format!("round {round}"));
            }
            held = Some(&mut self.log);
        }
        Ok(self.log.len())
    }

    // By value, with a field moved out into the input.
    #[fail_fast(workers = 2)]
    async fn consumed(self) -> Result<u32, String> {
        let jobs = self.jobs;
        for id in jobs {
            tokio::task::yield_now().await;
            self.ok.set(self.ok.get() + id);
        }
        Ok(self.ok.get())
    }
}

struct Names {
    names: Vec<String>,
    log: Vec<String>,
}

impl Names {
    // A reference to a field returned: it outlives any loan the loop could make of `self`.
    #[fail_fast(workers = 2)]
    async fn find(&mut self, ids: Vec<usize>) -> Option<&String> {
        for id in ids {
            tokio::task::yield_now().await;
            if self.names[id].len() > 1 {
                return Some(&self.names[id]);
            }
        }
        None
    }

    // A reference to a field kept after the loop, while another field changes.
    #[fail_fast(workers = 2)]
    async fn kept(&mut self, ids: Vec<usize>) -> Result<usize, String> {
        let found: Cell<Option<&String>> = Cell::new(None);
        for id in ids {
            tokio::task::yield_now().await;
            found.set(Some(&self.names[id]));
        }
        self.log.push("done".into());
        Ok(found.get().map_or(0, |name| name.len()))
    }
}

struct Stoppable {
    ok: Cell<u32>,
    stop: Option<StopToken>,
    log: Vec<String>,
}

impl Stoppable {
    // The `stop` option borrows another field as the loop starts.
    #[fail_fast(workers = 2, stop = self.stop.get_or_insert_with(StopToken::new))]
    async fn counted(&mut self, ids: Vec<u32>) -> Result<u32, failfast::Stopped> {
        for id in ids {
            tokio::task::yield_now().await;
            self.ok.set(self.ok.get() + id);
        }
        Ok(self.ok.get())
    }

    // An async closure holds the loop, and runs while another field is borrowed.
    #[fail_fast(workers = 2)]
    async fn in_a_closure(&mut self, ids: Vec<u32>) -> Result<usize, String> {
        let run = async |ids: Vec<u32>| -> Result<(), String> {
            #[fail_fast(workers = 2)]
            for id in ids {
                tokio::task::yield_now().await;
                self.ok.set(self.ok.get() + id);
            }
            Ok(())
        };
        let log = &mut self.log;
        log.push("a".into());
        run(ids).await?;
        log.push("b".into());
        Ok(log.len())
    }
}

// A parameter's field moved out after an async closure that holds the loop, which runs later.
#[fail_fast(workers = 2)]
async fn rounds_in_a_closure(rounds: u32, stats: Stats) -> Result<(u32, usize), String> {
    let round = async |ids: Vec<u32>| -> Result<(), String> {
        #[fail_fast(workers = 2)]
        for id in ids {
            tokio::task::yield_now().await;
            stats.ok.set(stats.ok.get() + id);
        }
        Ok(())
    };
    let name = stats.name;
    for _ in 0..rounds {
        round(vec![1, 2]).await?;
    }
    Ok((stats.ok.get(), name.len()))
}

// A field moved out by a `macro_rules!` of the function, where the call does not name it.
#[fail_fast(workers = 2)]
async fn moved_by_a_macro(ids: Vec<u32>, stats: Stats) -> Result<(u32, String), String> {
    macro_rules! take_name {
        () => {
            stats.name
        };
    }
    let name = take_name!();
    for id in ids {
        tokio::task::yield_now().await;
        stats.ok.set(stats.ok.get() + id);
    }
    Ok((stats.ok.get(), name))
}

/// `Sync` but not `Send`: a future that holds a reference to it, as the sequential loop's
/// does, is `Send`.
struct Guarded<'a> {
    _guard: MutexGuard<'a, u32>,
    name: String,
}

fn is_send<F: Send>(future: F) -> F {
    future
}

#[fail_fast(workers = 2)]
async fn sync_not_send(ids: Vec<u32>) -> Result<usize, String> {
    let lock = Mutex::new(0);
    let guarded = Guarded { _guard: lock.lock().unwrap(), name: "x".into() };
    is_send(async {
        #[fail_fast(workers = 2)]
        for id in ids {
            tokio::task::yield_now().await;
            let _ = guarded.name.len() + id as usize;
        }
        Ok::<usize, String>(guarded.name.len())
    })
    .await
}

// A reference the body stores outlives the loop, while another field moves out after it.
#[fail_fast(workers = 2)]
async fn stored_then_moved(ids: Vec<u32>, stats: Stats) -> Result<usize, String> {
    let found: Cell<Option<&String>> = Cell::new(None);
    for id in ids {
        tokio::task::yield_now().await;
        stats.ok.set(stats.ok.get() + id);
        found.set(Some(&stats.name));
    }
    let log = stats.log;
    Ok(found.get().map_or(0, |name| name.len()) + log.len())
}

// The same through `let s = &mut other;`, with a change of another field after the loop.
#[fail_fast(workers = 2)]
async fn stored_then_changed(ids: Vec<u32>, mut other: Stats) -> Result<usize, String> {
    let found: Cell<Option<&String>> = Cell::new(None);
    let s = &mut other;
    for id in ids {
        tokio::task::yield_now().await;
        s.ok.set(s.ok.get() + id);
        found.set(Some(&s.name));
    }
    s.log.push("done".into());
    Ok(found.get().map_or(0, |name| name.len()) + s.log.len())
}

struct Listed {
    ok: Cell<u32>,
    names: Vec<String>,
}

// A local that is a reborrow: a reference taken through it in the body is returned.
#[fail_fast(workers = 2)]
async fn returned_through_a_reborrow<'a>(
    listed: &'a mut Listed,
    ids: Vec<usize>,
) -> Result<Option<&'a String>, String> {
    let found: Cell<Option<&String>> = Cell::new(None);
    let s = &mut *listed;
    for id in ids {
        tokio::task::yield_now().await;
        s.ok.set(s.ok.get() + 1);
        found.set(Some(&s.names[id]));
    }
    Ok(found.get())
}

// The same reference leaves through `?`.
#[fail_fast(workers = 2)]
async fn failed_with_a_reference<'a>(
    listed: &'a mut Listed,
    ids: Vec<usize>,
) -> Result<u32, &'a String> {
    let s = &mut *listed;
    for id in ids {
        tokio::task::yield_now().await;
        s.ok.set(s.ok.get() + 1);
        if s.names[id].len() > 1 {
            Err(&s.names[id])?;
        }
    }
    Ok(0)
}

struct Context<'a> {
    ok: Cell<u32>,
    out: &'a mut Vec<String>,
}

// A parameter taken by value that holds a `&mut`: a reference through it is returned.
#[fail_fast(workers = 2)]
async fn returned_through_a_field<'a>(
    context: Context<'a>,
    ids: Vec<usize>,
) -> Result<Option<&'a String>, String> {
    let found: Cell<Option<&String>> = Cell::new(None);
    for id in ids {
        tokio::task::yield_now().await;
        context.ok.set(context.ok.get() + 1);
        found.set(Some(&context.out[id]));
    }
    Ok(found.get())
}

// `Sync` but not `Send`, used through a field by a loop in an async block that must be `Send`.
#[fail_fast(workers = 2)]
async fn sync_not_send_unmentioned_after(ids: Vec<u32>) -> Result<usize, String> {
    let lock = Mutex::new(0);
    let guarded = Guarded { _guard: lock.lock().unwrap(), name: "x".into() };
    is_send(async {
        #[fail_fast(workers = 2)]
        for id in ids {
            tokio::task::yield_now().await;
            let _ = guarded.name.len() + id as usize;
        }
        Ok::<usize, String>(1)
    })
    .await
}

// A value that holds a `&mut` with no `&` or lifetime written where it is made: a reference
// taken through that field outlives the value.
#[fail_fast(workers = 2)]
async fn through_a_moved_reference<'a>(
    out: &'a mut Vec<String>,
    ids: Vec<usize>,
) -> Result<Option<&'a String>, String> {
    let found: Cell<Option<&String>> = Cell::new(None);
    let context = Context { ok: Cell::new(0), out };
    for id in ids {
        tokio::task::yield_now().await;
        context.ok.set(context.ok.get() + 1);
        found.set(Some(&context.out[id]));
    }
    Ok(found.get())
}

#[repr(packed)]
struct Packed {
    n: u32,
    k: u8,
}

// A packed value's fields are read, never borrowed.
#[fail_fast(workers = 2)]
async fn packed(ids: Vec<u32>, stats: Packed) -> Result<u32, String> {
    let total = AtomicU32::new(0);
    for id in ids {
        tokio::task::yield_now().await;
        total.fetch_add(id + stats.n + u32::from(stats.k), Ordering::SeqCst);
    }
    Ok(total.into_inner())
}

struct Slot {
    hits: AtomicU32,
    name: &'static str,
}

static SLOTS: [Slot; 2] = [
    Slot { hits: AtomicU32::new(0), name: "first" },
    Slot { hits: AtomicU32::new(0), name: "second" },
];
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// A handle to the slot that is current at each use.
struct Current;

impl Deref for Current {
    type Target = Slot;
    fn deref(&self) -> &Slot {
        &SLOTS[CURRENT.load(Ordering::SeqCst)]
    }
}

// `current.name` derefs `current` at each use, as in the sequential loop.
#[fail_fast(workers = 1)]
async fn current_names(ids: Vec<usize>) -> Result<Vec<String>, String> {
    let current = Current;
    let names = Mutex::new(Vec::new());
    for id in ids {
        tokio::task::yield_now().await;
        CURRENT.store(id, Ordering::SeqCst);
        current.hits.fetch_add(1, Ordering::SeqCst);
        names.lock().unwrap().push(current.name.to_string());
    }
    Ok(names.into_inner().unwrap())
}

struct Mine {
    owner: ThreadId,
    ok: Cell<u64>,
}

thread_local! {
    static MINE: &'static Mine =
        Box::leak(Box::new(Mine { owner: thread::current().id(), ok: Cell::new(0) }));
}

/// A handle to data of the thread that uses it: `Send` and `Sync`, as it holds nothing.
struct Here;

impl Deref for Here {
    type Target = Mine;
    fn deref(&self) -> &Mine {
        MINE.with(|mine| *mine)
    }
}

struct Local {
    here: Here,
}

impl Local {
    // Each use of `self.here.ok` reaches the `Cell` of the thread that polls the loop then,
    // wherever the task has moved: never another thread's.
    #[fail_fast(workers = 2)]
    async fn count(&mut self, ids: Vec<u32>) -> Result<u64, String> {
        for _ in ids {
            tokio::task::yield_now().await;
            if self.here.owner != thread::current().id() {
                return Err("another thread's data".into());
            }
            self.here.ok.set(self.here.ok.get() + 1);
        }
        Ok(0)
    }
}

#[tokio::main]
async fn main() {
    let stats = || Stats { ok: Cell::new(0), name: "n".into(), log: Vec::new() };
    assert_eq!(moved_before(vec![1, 2, 3], stats()).await, Ok((6, "n".to_string())));
    let mut borrowed = stats();
    assert_eq!(borrowed_across(vec![1, 2, 3], &mut borrowed).await, Ok(2));
    assert_eq!(borrowed.ok.get(), 6);

    let (tx, rx) = mpsc::channel(4);
    let mut worker = Worker { ok: Cell::new(0), jobs: vec![1, 2, 3], rx, log: Vec::new() };
    assert_eq!(worker.drained().await, Ok(6));
    tokio::spawn(async move {
        for i in 1..=3 {
            tx.send(i).await.unwrap();
        }
    });
    assert_eq!(worker.received().await, Ok(12));
    assert_eq!(worker.noted(vec![1]).await, Ok(2));
    assert_eq!(worker.rounds(vec![1, 2]).await, Ok(4));
    assert_eq!(worker.ok.get(), 22);
    worker.jobs = vec![4, 5];
    assert_eq!(worker.consumed().await, Ok(31));

    let mut names = Names { names: vec!["a".into(), "bb".into()], log: Vec::new() };
    assert_eq!(names.find(vec![0, 1]).await.map(String::as_str), Some("bb"));
    assert_eq!(names.kept(vec![1]).await, Ok(2));
    let mut stoppable = Stoppable { ok: Cell::new(0), stop: None, log: Vec::new() };
    assert_eq!(stoppable.counted(vec![1, 2, 3]).await, Ok(6));
    assert_eq!(stoppable.in_a_closure(vec![1, 2, 3]).await, Ok(2));
    assert_eq!(stoppable.ok.get(), 12);
    assert_eq!(rounds_in_a_closure(2, stats()).await, Ok((6, 1)));
    assert_eq!(moved_by_a_macro(vec![1, 2], stats()).await, Ok((3, "n".to_string())));
    assert_eq!(sync_not_send(vec![1, 2]).await, Ok(1));
    assert_eq!(stored_then_moved(vec![1, 2], stats()).await, Ok(1));
    assert_eq!(stored_then_changed(vec![1, 2], stats()).await, Ok(2));
    let mut listed = Listed { ok: Cell::new(0), names: vec!["a".into(), "bb".into()] };
    let returned = returned_through_a_reborrow(&mut listed, vec![1]).await;
    assert_eq!(returned.map(|name| name.cloned()), Ok(Some("bb".to_string())));
    let failed = failed_with_a_reference(&mut listed, vec![0, 1]).await;
    assert_eq!(failed.map_err(String::as_str), Err("bb"));
    let mut out = vec!["a".to_string(), "bb".to_string()];
    let context = Context { ok: Cell::new(0), out: &mut out };
    let returned = returned_through_a_field(context, vec![1]).await;
    assert_eq!(returned.map(|name| name.cloned()), Ok(Some("bb".to_string())));
    assert_eq!(sync_not_send_unmentioned_after(vec![1, 2]).await, Ok(1));
    let mut out = vec!["a".to_string(), "bb".to_string()];
    let returned = through_a_moved_reference(&mut out, vec![1]).await;
    assert_eq!(returned.map(|name| name.cloned()), Ok(Some("bb".to_string())));
    assert_eq!(packed(vec![1, 2], Packed { n: 10, k: 1 }).await, Ok(25));
    let names = current_names(vec![1, 0, 1]).await;
    assert_eq!(names, Ok(vec!["second".into(), "first".into(), "second".into()]));
    let hits = |at: usize| SLOTS[at].hits.load(Ordering::SeqCst);
    assert_eq!((hits(0), hits(1)), (1, 2));
    // Tasks that move between the runtime's threads as they yield.
    let counted: Vec<_> = (0..40)
        .map(|_| tokio::spawn(async { Local { here: Here }.count((0..50).collect()).await }))
        .collect();
    for task in counted {
        assert_eq!(task.await.unwrap(), Ok(0));
    }
}
