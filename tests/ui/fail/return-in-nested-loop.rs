use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(rows: &[Vec<i32>]) -> Result<(), String> {
    for row in rows {
        for &cell in row {
            if cell < 0 {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn main() {}
