// A `return Ok(..)` inside a standard macro's arguments (here `println!`'s): the rewrite does
// not see it, so it cannot end the loop as a `return` in the body does; refused, as a user's
// macro that returns is, rather than taken for the end of an iteration.
use failfast::fail_fast;

#[fail_fast(workers = 1)]
fn print_until_none(v: &[Option<u32>]) -> Result<(), String> {
    for x in v {
        println!("item {}", match x {
            Some(n) => *n,
            None => return Ok(()),
        });
        if *x == Some(9) {
            Err("nine".to_string())?;
        }
    }
    Ok(())
}

fn main() {
    let _ = print_until_none(&[Some(1), None, Some(9)]);
}
