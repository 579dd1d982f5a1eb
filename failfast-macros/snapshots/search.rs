// A search in a thread loop: the first `return` ends the whole loop with its value, and the
// code after the loop runs only when no iteration returned.
#[fail_fast(workers = 4)]
fn find_config(dirs: &[PathBuf]) -> Result<Option<PathBuf>, Error> {
    for dir in dirs {
        let candidate = dir.join("app.toml");
        if candidate.try_exists()? {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}
