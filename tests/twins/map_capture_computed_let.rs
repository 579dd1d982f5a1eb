// An adapter capturing a `let` whose type is not written (computed by a call).
use failfast::fail_fast;

fn threshold_for(level: u32) -> u32 {
    level * 100
}

#[fail_fast(workers = 4)]
fn over(values: &[u32], level: u32) -> Result<(), String> {
    let threshold = threshold_for(level);
    let label = format!("level {level}");
    for x in values.iter().filter(|&&x| x > threshold).map(|&x| (x, label.len())) {
        if x.0 > 10_000 {
            return Err(format!("{} is too big for {label}", x.0));
        }
    }
    Ok(())
}

fn main() {
    assert!(over(&[1, 200], 1).is_ok());
    assert!(over(&[20_000], 1).is_err());
}
