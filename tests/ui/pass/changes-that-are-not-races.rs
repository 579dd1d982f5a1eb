// Methods named like a container's changes (`push`, `insert`) that are not races: on a type of
// the user's own that changes through `&self`, through a lock, or on the body's own values.
use failfast::fail_fast;
use std::collections::HashMap;
use std::sync::Mutex;

struct Queue(Mutex<Vec<u32>>);

impl Queue {
    fn push(&self, x: u32) {
        self.0.lock().unwrap().push(x);
    }
    fn insert(&self, x: u32) {
        self.0.lock().unwrap().push(x);
    }
}

struct Collector {
    queue: Queue,
    queues: Vec<Queue>,
    seen: Mutex<HashMap<u32, u32>>,
}

const NONE_YET: Vec<u32> = Vec::new();

impl Collector {
    #[fail_fast(workers = 4)]
    fn run(&mut self, input: &[u32]) -> Result<(), String> {
        for &x in input {
            self.queue.push(x);
            self.queues[0].insert(x);
            self.seen.lock().unwrap().insert(x, 1);
            let mut own = Vec::new();
            own.push(x);
            let mut grid = vec![vec![0u32]];
            grid[0].push(x);
            let mut pair = (0u32, 0u32);
            let first = &mut pair.0;
            *first += x;
            // A constant's value is a fresh copy in each iteration.
            let mut copy = NONE_YET;
            copy.push(x);
        }
        Ok(())
    }
}

fn shard(key: String) -> usize {
    key.len() % 2
}

#[derive(Clone, Copy)]
struct Mask(u64);

impl Mask {
    fn insert(self, bit: u32) -> Mask {
        Mask(self.0 | 1 << bit)
    }
}

#[repr(C, packed)]
struct Header {
    tag: u8,
    mask: Mask,
}

macro_rules! scratch {
    ($name:ident) => {
        let mut $name = [0u32; 4];
    };
}

struct Table(Vec<Queue>);

impl std::ops::Index<String> for Table {
    type Output = Queue;
    fn index(&self, key: String) -> &Queue {
        &self.0[key.len() % self.0.len()]
    }
}

// An index that moves its key (a call's argument, or an `Index<String>`'s key), and a packed
// field whose `insert` takes `self`: the check before the statement neither moves the key nor
// borrows the field. A statement under `#[cfg]` that is compiled out takes its check along.
#[fail_fast(workers = 4)]
fn spread(
    keys: Vec<String>,
    shards: &[Queue],
    table: &Table,
    header: &Header,
) -> Result<(), String> {
    for key in keys {
        #[cfg(any())]
        shards.no_such_field.push(1);
        let name = key.clone();
        table[name + ""].push(2);
        // A closure's parameter inside `assert!`, and a name a macro binds.
        let mut rows = vec![vec![1u32]];
        assert!(rows.iter_mut().all(|row| row.pop().is_some()));
        scratch!(buf);
        let first = &mut buf[0];
        *first += 1;
        shards[shard(key)].push(1);
        if header.mask.insert(1).0 == 0 || header.tag == 0 {
            return Err("empty".to_string());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn drain(mut stack: Vec<u32>, out: &Queue) -> Result<(), String> {
    // The head changes `stack` on its own; the body's `push` is the shared queue's.
    while let Some(x) = stack.pop() {
        out.push(x);
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn fetch(items: Vec<u32>, out: &Queue) -> Result<(), String> {
    for x in items {
        std::future::ready(()).await;
        out.push(x);
        let mut own = vec![];
        own.push(x);
    }
    Ok(())
}

// `take` and `replace` named like `Option`'s and the sets' changes: `io::Read::take` on a
// `Vec<u8>`'s or an array's bytes reads a copy of a `&[u8]`, `str::replace` makes a new
// `String`, and an `Option` behind a lock is the lock's.
struct Packet {
    bytes: Vec<u8>,
    header: [u8; 4],
    name: String,
    pending: Mutex<Option<u32>>,
}

#[fail_fast(workers = 4)]
fn read_packets(packet: &Packet, sizes: &[u64]) -> Result<usize, std::io::Error> {
    use std::io::Read;
    for &size in sizes {
        let mut out = Vec::new();
        packet.bytes.take(size).read_to_end(&mut out)?;
        packet.header.take(size).read_to_end(&mut out)?;
        let renamed = packet.name.replace("a", "b");
        let _ = packet.pending.lock().unwrap().take();
        if out.len() + renamed.len() > 100 {
            return Ok(out.len());
        }
    }
    Ok(0)
}

fn main() {
    let packet = Packet {
        bytes: vec![1, 2, 3],
        header: [0; 4],
        name: "abc".into(),
        pending: Mutex::new(Some(1)),
    };
    assert_eq!(read_packets(&packet, &[1, 2]).unwrap(), 0);
    assert_eq!(*packet.pending.lock().unwrap(), None);
    let mut collector = Collector {
        queue: Queue(Mutex::new(Vec::new())),
        queues: vec![Queue(Mutex::new(Vec::new()))],
        seen: Mutex::new(HashMap::new()),
    };
    collector.run(&[1, 2, 3]).unwrap();
    drain(vec![4, 5], &collector.queue).unwrap();
    futures::executor::block_on(fetch(vec![6, 7], &collector.queue)).unwrap();
    assert_eq!(collector.queue.0.lock().unwrap().len(), 7);
    assert_eq!(collector.queues[0].0.lock().unwrap().len(), 3);
    let shards = [Queue(Mutex::new(Vec::new())), Queue(Mutex::new(Vec::new()))];
    let header = Header { tag: 1, mask: Mask(0) };
    let table = Table(vec![Queue(Mutex::new(Vec::new()))]);
    spread(vec!["a".into(), "bb".into()], &shards, &table, &header).unwrap();
    assert_eq!(shards[0].0.lock().unwrap().len() + shards[1].0.lock().unwrap().len(), 2);
    assert_eq!(table.0[0].0.lock().unwrap().len(), 2);
}
