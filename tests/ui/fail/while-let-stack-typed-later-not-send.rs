// A `while let` over a stack whose item type a later `push` gives (`Rc`): the error names the
// `Rc` with the loop's message, and nothing of the rewrite.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn drain(n: u32) -> Result<(), String> {
    let mut stack = Vec::new();
    while let Some((a, b)) = stack.pop() {
        if a == n {
            drop(b);
            return Err(String::new());
        }
    }
    stack.push((n, Rc::new(n)));
    Ok(())
}

fn main() {
    let _ = drain(1);
}
