// A marked loop inside a marked loop; `continue 'rows` ends an outer iteration; the inner
// sequential loop keeps its `break`.
#[fail_fast(workers = 4, crate = ff)]
fn grid(rows: &[Row]) -> Result<(), Error> {
    #[fail_fast]
    'rows: for row in rows {
        if row.is_empty() {
            continue 'rows;
        }
        #[fail_fast(workers = 2)]
        for cell in row.cells() {
            for attempt in 0..3 {
                if cell.try_check(attempt)? {
                    break;
                }
            }
        }
    }
    Ok(())
}
