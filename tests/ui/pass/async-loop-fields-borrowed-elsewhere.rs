// An async loop whose body uses a value only through a field (`self.ok`), while another of its
// fields is borrowed or moved outside the loop under another name: the loop borrows the field it
// uses, not the whole value, as the sequential loop does, so these compile (a loan of the whole
// value, which keeps the loop's future `Send` with a `Cell` field, broke each of them: the
// macro lends it only where the function mentions it nowhere before the loop, nor after it in
// a loop around it).
use failfast::fail_fast;
use std::cell::Cell;
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
}
