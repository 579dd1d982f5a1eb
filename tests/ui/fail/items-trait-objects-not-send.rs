// Trait objects without `Send + Sync` as items, in a function with no type parameter: the
// loop's message on the whole item, and the hint for trait objects.
use failfast::fail_fast;
use std::sync::Arc;

pub trait Handler {
    fn handle(&self, event: &str) -> Result<(), String>;
}

#[fail_fast(workers = 4)]
fn dispatch(handlers: &[Arc<dyn Handler>], event: &str) -> Result<(), String> {
    for handler in handlers {
        handler.handle(event)?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn run_all(jobs: Vec<Box<dyn FnOnce() -> Result<(), String>>>) -> Result<(), String> {
    for job in jobs {
        job()?;
    }
    Ok(())
}

fn main() {
    dispatch(&[], "start").unwrap();
    run_all(Vec::new()).unwrap();
}
