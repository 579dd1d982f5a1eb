// The body of a `while let` loop uses what its head takes the next item from mutably: the
// head's `&mut` and the iterations' reads overlap. The loop's own data-race message, at each
// use (here four, in one compile), not rustc's borrow error about a closure or a coroutine.
use failfast::fail_fast;
use futures::{Stream, StreamExt};

#[fail_fast(workers = 2)]
fn show(v: Vec<u32>) -> Result<(), String> {
    let mut it = v.into_iter();
    while let Some(x) = it.next() {
        println!("{x}: {} left", it.len());
    }
    Ok(())
}

fn next_id(pos: &mut u32, max: u32) -> Option<u32> {
    (*pos < max).then(|| {
        *pos += 1;
        *pos
    })
}

#[fail_fast(workers = 2)]
fn numbered(max: u32) -> Result<(), String> {
    let mut pos = 0;
    while let Some(id) = next_id(&mut pos, max) {
        if id > 100 {
            return Err(format!("{id} at {pos}"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn streamed(v: Vec<u32>) -> Result<(), String> {
    let mut s = futures::stream::iter(v);
    while let Some(x) = s.next().await {
        std::future::ready(()).await;
        println!("{x}: about {:?} left", s.size_hint());
    }
    Ok(())
}

struct Stack {
    queue: Vec<u32>,
    limit: u32,
}

// Through a lock's guard, the body's closure captures the guard whole, not its fields apart.
#[fail_fast(workers = 2)]
fn guarded(stack: &std::sync::Mutex<Stack>) -> Result<(), String> {
    let mut stack = stack.lock().unwrap();
    while let Some(x) = stack.queue.pop() {
        if x > stack.limit {
            return Err(format!("{x}"));
        }
    }
    Ok(())
}

// tokio's `watch` receiver: `changed()` takes `&mut self` to wait for the next value, which
// the body reads.
#[fail_fast(workers = 4)]
async fn on_change(mut settings: tokio::sync::watch::Receiver<u32>) -> Result<(), String> {
    while let Ok(()) = settings.changed().await {
        let limit = *settings.borrow();
        if limit == 0 {
            return Err("no limit".to_string());
        }
    }
    Ok(())
}

fn main() {
    let (_, settings) = tokio::sync::watch::channel(1);
    let _ = on_change(settings);
    let _ = show(vec![1]);
    let _ = numbered(3);
    let _ = streamed(vec![1]);
    let _ = guarded(&std::sync::Mutex::new(Stack {
        queue: vec![1],
        limit: 0,
    }));
}
