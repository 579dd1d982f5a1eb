// An option refused for another reason still uses what its value names: no warning says
// that `Duration` or `Instant` is unused beside the error.
use failfast::fail_fast;
use std::time::{Duration, Instant};

#[fail_fast(workers = 4, timeout = Duration::from_secs(1), deadline = Instant::now())]
fn checked(items: &[u32]) -> Result<(), String> {
    for &x in items {
        if x == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

mod marked {
    use failfast::fail_fast;
    use std::time::Duration;

    #[fail_fast]
    pub fn checked(items: &[u32]) -> Result<(), String> {
        #[fail_fast(workers = 4, timeout = Duration::from_secs(1), timeout = Duration::ZERO)]
        for &x in items {
            if x == 0 {
                return Err("zero".into());
            }
        }
        Ok(())
    }
}

fn main() {
    let _ = checked(&[1]);
    let _ = marked::checked(&[1]);
}
