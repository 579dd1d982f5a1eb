// The function's one outermost loop, with `?` and `continue`.
#[fail_fast(workers = 8)]
fn download_all(names: impl Iterator<Item = String>, bucket: &Bucket) -> Result<(), Error> {
    for name in names {
        if name.is_empty() {
            continue;
        }
        bucket.download(&name)?;
    }
    Ok(())
}
