// An async loop whose body uses a value only through its fields (`stats.ok`, `self.ok`), while
// another of its fields is borrowed or moved outside the loop, or a reference the body takes
// through a field outlives the loop: each iteration borrows the fields it uses, as the
// sequential loop does, and these compile. A loan of the whole value, which would keep the
// loop's future `Send` with a `Cell` field, broke each of them (two attempts, reverted): a
// later way to keep that future `Send` must keep every function here compiling, and the
// results `main` checks.
use failfast::fail_fast;
use failfast::StopToken;
use std::cell::Cell;
use std::sync::{Mutex, MutexGuard};
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
}
