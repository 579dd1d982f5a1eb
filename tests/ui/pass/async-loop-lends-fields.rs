// An async loop whose body uses a value only through its fields, one of them a `Cell`
// (`stats.ok.set(..)`, `self.counts.ok.set(..)`): the sequential loop's future holds the
// value, and is `Send` when the value is, and so is the parallel loop's, whose iterations
// borrow those fields through loans that are `Send` with it. The value's other fields stay
// free around the loop, as in the sequential loop: one moved out before it, one borrowed
// across it, one moved after it.
use failfast::fail_fast;
use std::cell::Cell;

struct Stats {
    ok: Cell<u32>,
    seen: Vec<u32>,
    name: String,
}

// A local: a field moved out before the loop, another read in it, a third moved after it.
#[fail_fast(workers = 3)]
async fn tally(ids: Vec<u32>) -> Result<(u32, String, Vec<u32>), String> {
    let stats = Stats { ok: Cell::new(0), seen: vec![1, 2], name: "tally".into() };
    let name = stats.name;
    for id in ids {
        tokio::task::yield_now().await;
        if stats.seen.contains(&id) {
            stats.ok.set(stats.ok.get() + 1);
        }
    }
    Ok((stats.ok.get(), name, stats.seen))
}

// A parameter taken by value, whose field is moved out in the same statement as the loop's
// result is read.
#[fail_fast(workers = 2)]
async fn counted(ids: Vec<u32>, stats: Stats) -> Result<(u32, String), String> {
    for id in ids {
        tokio::task::yield_now().await;
        stats.ok.set(stats.ok.get() + id);
    }
    Ok((stats.ok.get(), stats.name))
}

#[derive(Default)]
struct Counts {
    ok: Cell<u32>,
    bad: Cell<u32>,
}

struct Actor {
    counts: Counts,
    log: Vec<String>,
}

impl Actor {
    // `&mut self`: two fields of a field, while another field is borrowed mutably across the
    // loop.
    #[fail_fast(workers = 2)]
    async fn run(&mut self, ids: Vec<u32>) -> Result<u32, String> {
        let log = &mut self.log;
        for id in ids {
            tokio::task::yield_now().await;
            match id % 2 {
                0 => self.counts.ok.set(self.counts.ok.get() + 1),
                _ => self.counts.bad.set(self.counts.bad.get() + 1),
            }
        }
        log.push(format!("{} ok", self.counts.ok.get()));
        Ok(self.counts.ok.get() * 10 + self.counts.bad.get())
    }
}

// Through a reborrow: a reference taken through a field in the body is returned.
#[fail_fast(workers = 2)]
async fn longest<'a>(stats: &'a mut Stats, ids: Vec<u32>) -> Result<Option<&'a u32>, String> {
    let found: Cell<Option<&u32>> = Cell::new(None);
    let s = &mut *stats;
    for id in ids {
        tokio::task::yield_now().await;
        s.ok.set(s.ok.get() + 1);
        if let Some(seen) = s.seen.get(id as usize) {
            found.set(Some(seen));
        }
    }
    Ok(found.get())
}

fn is_send<F: Send>(future: F) -> F {
    future
}

#[tokio::main]
async fn main() {
    let tallied = tokio::spawn(tally(vec![1, 2, 3, 2])).await.unwrap();
    assert_eq!(tallied, Ok((3, "tally".to_string(), vec![1, 2])));

    let stats = Stats { ok: Cell::new(1), seen: Vec::new(), name: "counted".into() };
    let counted = tokio::spawn(counted(vec![1, 2, 3], stats)).await.unwrap();
    assert_eq!(counted, Ok((7, "counted".to_string())));

    let mut actor = Actor { counts: Counts::default(), log: Vec::new() };
    let ran = tokio::spawn(async move {
        let ran = actor.run(vec![1, 2, 3, 4, 6]).await;
        (ran, actor.log)
    });
    assert_eq!(ran.await.unwrap(), (Ok(32), vec!["3 ok".to_string()]));

    let mut stats = Stats { ok: Cell::new(0), seen: vec![5], name: String::new() };
    let found = is_send(longest(&mut stats, vec![0, 3])).await;
    assert_eq!(found, Ok(Some(&5)));
}
