// A marked loop inside a parallel loop runs in parallel too; an unmarked one stays
// sequential. An inner failure fails the outer iteration, and so the outer loop.
use failfast::fail_fast;
use std::sync::atomic::{AtomicUsize, Ordering};

#[fail_fast(workers = 2)]
fn grid(rows: usize, cols: usize, bad: Option<(usize, usize)>, cells: &AtomicUsize) -> Result<(), (usize, usize)> {
    #[fail_fast]
    for row in 0..rows {
        #[fail_fast(workers = 3)]
        for col in 0..cols {
            if Some((row, col)) == bad {
                Err((row, col))?;
            }
            let mut sequential = 0;
            for _ in 0..3 {
                sequential += 1;
            }
            cells.fetch_add(sequential / 3, Ordering::SeqCst);
        }
    }
    Ok(())
}

fn main() {
    let cells = AtomicUsize::new(0);
    assert_eq!(grid(4, 5, None, &cells), Ok(()));
    assert_eq!(cells.into_inner(), 20);
    assert_eq!(grid(4, 5, Some((2, 3)), &AtomicUsize::new(0)), Err((2, 3)));
}
