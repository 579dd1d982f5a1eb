// A union's field read in `unsafe` in the body (outside `unsafe` it would be refused).
use failfast::fail_fast;

#[derive(Clone, Copy)]
union Bits {
    int: u32,
    float: f32,
}

#[fail_fast(workers = 4)]
fn below(items: &[u32]) -> Result<(), String> {
    let bits = Bits { int: 7 };
    for x in items {
        // SAFETY: `bits` was written as `int`.
        if *x > unsafe { bits.int } {
            Err("big".to_string())?;
        }
    }
    Ok(())
}

fn main() {
    assert!(below(&[1, 7]).is_ok());
    assert!(below(&[8]).is_err());
    // SAFETY: every bit pattern is an `f32`.
    let _ = unsafe { Bits { int: 0 }.float };
}
