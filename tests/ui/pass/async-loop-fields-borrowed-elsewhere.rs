// An async loop whose body uses a value only through a field (`self.ok`), while another of its
// fields is borrowed or moved outside the loop under another name, or a reference the body takes
// from a field outlives the loop: the loop borrows the field it uses, not the whole value, as the
// sequential loop does, so these compile. A loan of the whole value, which keeps the loop's
// future `Send` with a `Cell` field, broke each of them: the macro makes one only of a local or
// a parameter taken by value that the function mentions nowhere before the loop (nor in its
// options, in a `macro_rules!`, after it in a loop around it, or after it at all when a closure
// or an async block holds the loop) and that no `return` of the body mentions.
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

/// `Sync` but not `Send`: the loop's future is `Send` only as long as it holds no more than a
/// reference to it, as the sequential loop's future does.
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
}
