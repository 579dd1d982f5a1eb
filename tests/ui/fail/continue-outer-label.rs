use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn check(rows: &[Vec<i32>]) -> Result<(), String> {
    'rows: for row in rows {
        #[fail_fast]
        for &cell in row {
            if cell < 0 {
                continue 'rows;
            }
        }
    }
    Ok(())
}

fn main() {}
