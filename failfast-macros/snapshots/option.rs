// A function returning `Option`, with no `workers`: the available parallelism.
#[fail_fast]
fn all_found(keys: &[u32], table: &Table) -> Option<()> {
    for key in keys {
        table.get(key)?;
    }
    Some(())
}
