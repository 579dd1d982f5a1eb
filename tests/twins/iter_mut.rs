// Items changed in place through `iter_mut`.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn double(values: &mut [u32]) -> Result<(), String> {
    for v in values.iter_mut() {
        *v = v.checked_mul(2).ok_or("overflow")?;
    }
    Ok(())
}

fn main() {
    let mut values = [1, 2];
    assert!(double(&mut values).is_ok());
    assert_eq!(values, [2, 4]);
}
