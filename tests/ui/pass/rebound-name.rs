// A name bound inside the body is the iteration's own, even if it shadows an outer variable.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn check(items: &[Option<i32>]) -> Result<(), String> {
    let mut total = 0;
    total += 1;
    for item in items {
        let mut total = 0;
        if let Some(value) = item {
            total += value;
        }
        let mut seen = Vec::new();
        seen.push(total);
        if seen[0] < 0 {
            Err(format!("{total} is negative"))?;
        }
    }
    assert_eq!(total, 1);
    Ok(())
}

fn main() {
    assert_eq!(check(&[Some(1), None]), Ok(()));
    assert_eq!(check(&[Some(-1)]), Err("-1 is negative".to_string()));
}
