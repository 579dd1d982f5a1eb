// A callback the caller passes as `FnMut`, called by every iteration: the iterations would call
// it at once. The message, at the call, says to take `Fn`, or to call it under a `Mutex`.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn visit<F>(xs: &[u32], mut f: F) -> Result<(), String>
where
    F: FnMut(u32) -> Result<(), String>,
{
    for x in xs {
        f(*x)?;
    }
    Ok(())
}

fn main() {
    let _ = visit(&[1], |x| if x > 0 { Ok(()) } else { Err("zero".into()) });
}
