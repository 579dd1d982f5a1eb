// A `while let` head takes items through `&mut` from one field, and the body reads another
// field of the same variable: rustc captures the two fields apart, so nothing overlaps, in
// thread and async loops and in a `&mut self` method.
use failfast::fail_fast;

struct Stack {
    queue: Vec<u32>,
    limit: u32,
}

#[fail_fast(workers = 4)]
fn disjoint_fields(items: Vec<u32>) -> Result<(), String> {
    let mut stack = Stack {
        queue: items,
        limit: 3,
    };
    while let Some(x) = stack.queue.pop() {
        if x > stack.limit {
            return Err(format!("{x}"));
        }
    }
    Ok(())
}

struct Cursor {
    position: usize,
    items: Vec<u32>,
}

fn advance(position: &mut usize, len: usize) -> Option<usize> {
    (*position < len).then(|| {
        *position += 1;
        *position - 1
    })
}

impl Cursor {
    #[fail_fast(workers = 4)]
    fn check(&mut self) -> Result<(), String> {
        let len = self.items.len();
        while let Some(i) = advance(&mut self.position, len) {
            if self.items[i] > 3 {
                return Err(format!("item {i}"));
            }
        }
        Ok(())
    }
}

struct Inbox {
    rx: tokio::sync::mpsc::Receiver<u32>,
    name: String,
}

#[fail_fast(workers = 4)]
async fn drain(mut inbox: Inbox) -> Result<(), String> {
    while let Some(x) = inbox.rx.recv().await {
        tokio::task::yield_now().await;
        if x > 3 {
            return Err(format!("{} got {x}", inbox.name));
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(disjoint_fields(vec![1, 5]), Err("5".into()));
    let mut cursor = Cursor {
        position: 0,
        items: vec![1, 2, 9],
    };
    assert_eq!(cursor.check(), Err("item 2".into()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (send, rx) = tokio::sync::mpsc::channel(4);
        send.send(7).await.unwrap();
        drop(send);
        let inbox = Inbox {
            rx,
            name: "inbox".into(),
        };
        assert_eq!(drain(inbox).await, Err("inbox got 7".into()));
    });
}
