// Two outermost `for` loops that are alternatives, one for debug builds and one for release:
// the function-level attribute runs whichever the build keeps in parallel, as the sequential
// function runs it.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_bad(items: &[u32]) -> Result<(), u32> {
    #[cfg(debug_assertions)]
    for &x in items {
        if x == 0 {
            return Err(x);
        }
    }
    #[cfg(not(debug_assertions))]
    for &x in items {
        if x == 1 {
            return Err(x);
        }
    }
    Ok(())
}

fn main() {
    let expected = if cfg!(debug_assertions) { 0 } else { 1 };
    assert_eq!(first_bad(&[2, 1, 0, 3]), Err(expected));
    assert_eq!(first_bad(&[2, 3]), Ok(()));
}
