use failfast::fail_fast;

// A variable used inside `unsafe` is shared by the iterations like any other: the loop's
// own message, not rustc's about a closure the user did not write.
#[fail_fast(workers = 2)]
fn find(xs: &[u32], p: *const u32) -> Result<(), String> {
    for x in xs {
        if unsafe { *p } == *x {
            return Err(format!("found {x}"));
        }
    }
    Ok(())
}

fn main() {}
