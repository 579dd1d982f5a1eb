// The body uses only a field that is `Sync` (`self.hits`), through a reference whose value
// holds one that is not (`last_report: Cell<u32>`): rustc captures the reference, so the
// iterations share the whole value. The message says so, and to borrow the field first.
use failfast::fail_fast;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

struct Stats {
    hits: AtomicU32,
    last_report: Cell<u32>,
}

impl Stats {
    #[fail_fast(workers = 2)]
    fn record(&self, items: &[u32]) -> Result<(), String> {
        for x in items {
            if *x == 0 {
                return Err("zero".into());
            }
            self.hits.fetch_add(*x, Ordering::SeqCst);
        }
        self.last_report.set(self.hits.load(Ordering::SeqCst));
        Ok(())
    }
}

struct Context {
    hits: AtomicU32,
    name: Rc<str>,
}

#[fail_fast(workers = 2)]
fn count(context: &Context, items: &[u32]) -> Result<(), String> {
    for x in items {
        context.hits.fetch_add(*x, Ordering::SeqCst);
    }
    println!("{}", context.name);
    Ok(())
}

fn main() {
    let stats = Stats {
        hits: AtomicU32::new(0),
        last_report: Cell::new(0),
    };
    let _ = stats.record(&[1]);
    let context = Context {
        hits: AtomicU32::new(0),
        name: "n".into(),
    };
    let _ = count(&context, &[1]);
}
