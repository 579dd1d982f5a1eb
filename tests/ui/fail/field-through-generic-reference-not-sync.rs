// A reference whose value's type has a parameter of the function's own, used through its
// fields: rustc follows the check to the parameter and suggests the bound to write
// (`H: Handler + Sync`), not a `where` clause naming the loop's check.
use failfast::fail_fast;

pub trait Handler {
    fn handle(&self, x: u32) -> Result<(), String>;
}

pub struct Service<H> {
    handler: H,
}

#[fail_fast(workers = 4)]
fn serve<H: Handler>(service: &Service<H>, items: &[u32]) -> Result<(), String> {
    for &x in items {
        service.handler.handle(x)?;
    }
    Ok(())
}

fn main() {}
