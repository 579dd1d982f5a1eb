// A `return` inside a sequential loop nested in the body still ends the whole parallel loop.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn first_negative_row(rows: &[Vec<i32>]) -> Result<Option<usize>, String> {
    for (index, row) in rows.iter().enumerate() {
        for &cell in row {
            if cell < 0 {
                return Ok(Some(index));
            }
        }
    }
    Ok(None)
}

fn main() {
    assert_eq!(first_negative_row(&[vec![1], vec![2, 3]]), Ok(None));
    assert_eq!(first_negative_row(&[vec![1], vec![2, -3], vec![4]]), Ok(Some(1)));
}
