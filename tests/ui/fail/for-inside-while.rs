use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn drain(batches: &mut Vec<Vec<u32>>) -> Result<(), String> {
    while !batches.is_empty() {
        let batch = batches.remove(0);
        for item in batch {
            if item == 0 {
                Err("zero".to_string())?;
            }
        }
    }
    Ok(())
}

fn main() {}
