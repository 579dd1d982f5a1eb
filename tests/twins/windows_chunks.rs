// `windows` and `chunks` of a slice.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn sorted(data: &[i32]) -> Result<(), String> {
    for pair in data.windows(2) {
        if pair[0] > pair[1] {
            return Err(format!("{} > {}", pair[0], pair[1]));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn full_chunks(data: &[u8]) -> Result<(), String> {
    for chunk in data.chunks(4) {
        if chunk.len() != 4 {
            return Err(format!("a chunk of {} bytes", chunk.len()));
        }
    }
    Ok(())
}

fn main() {
    assert!(sorted(&[1, 2, 3]).is_ok());
    assert!(full_chunks(&[0; 8]).is_ok());
}
