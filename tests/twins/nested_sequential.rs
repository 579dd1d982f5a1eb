// A sequential loop, with `break`, inside the parallel one.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn rows_have_zero(grid: &[Vec<u8>]) -> Result<(), String> {
    for (r, row) in grid.iter().enumerate() {
        let mut found = false;
        for &cell in row {
            if cell == 0 {
                found = true;
                break;
            }
        }
        if !found {
            return Err(format!("row {r} has no zero"));
        }
    }
    Ok(())
}

fn main() {
    assert!(rows_have_zero(&[vec![1, 0]]).is_ok());
}
