// A `while let` head that takes its items through a `&mut` parameter, or `&mut self`, with the
// body using the same value: the head runs while iterations run. The loop's data-race message
// at the body's use, not rustc's borrow error about a closure or a coroutine the user did not
// write.
use failfast::fail_fast;

struct Countdown {
    left: u32,
    limit: u32,
}

impl Iterator for Countdown {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.left = self.left.checked_sub(1)?;
        Some(self.left)
    }
}

impl Countdown {
    fn fits(&self, n: u32) -> bool {
        n <= self.limit
    }

    #[fail_fast(workers = 4)]
    fn check_all(&mut self) -> Result<(), String> {
        while let Some(n) = self.next() {
            if !self.fits(n) {
                return Err(format!("{n} is over the limit"));
            }
        }
        Ok(())
    }

    // The receiver written with its type.
    #[fail_fast(workers = 4)]
    fn check_typed(self: &mut Self) -> Result<(), String> {
        while let Some(n) = self.next() {
            if !self.fits(n) {
                return Err(format!("{n} is over the limit"));
            }
        }
        Ok(())
    }
}

// tokio's `recv` takes `&mut self`.
#[fail_fast(workers = 4)]
async fn drain(rx: &mut tokio::sync::mpsc::Receiver<u32>) -> Result<(), String> {
    while let Some(job) = rx.recv().await {
        if rx.is_closed() {
            return Err(format!("{job} came after the close"));
        }
    }
    Ok(())
}

fn main() {
    let mut countdown = Countdown { left: 3, limit: 9 };
    let _ = countdown.check_all();
    let _ = countdown.check_typed();
    let (_tx, mut rx) = tokio::sync::mpsc::channel(1);
    let _ = drain(&mut rx);
}
