// The one outermost loop may sit inside `if`, `match` or a block; loops in closures and
// inside other loops do not count as candidates.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn checked(items: &[u32], enabled: bool) -> Result<u32, u32> {
    let doubled: Vec<u32> = items.iter().map(|x| {
        let mut sum = 0;
        for _ in 0..2 {
            sum += x;
        }
        sum
    }).collect();
    if enabled {
        match doubled.len() {
            0 => {}
            _ => {
                for &x in &doubled {
                    if x > 10 {
                        Err(x)?;
                    }
                }
            }
        }
    }
    Ok(doubled.iter().sum())
}

fn main() {
    assert_eq!(checked(&[1, 2], true), Ok(6));
    assert_eq!(checked(&[1, 6], true), Err(12));
    assert_eq!(checked(&[1, 6], false), Ok(14));
}
