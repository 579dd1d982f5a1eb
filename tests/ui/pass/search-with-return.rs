// A search: `return Ok(Some(path))` returns the first match found and cancels the rest.
use failfast::fail_fast;
use std::path::PathBuf;

#[fail_fast(workers = 4)]
fn find_config(candidates: Vec<PathBuf>, exists: &(dyn Fn(&PathBuf) -> bool + Sync)) -> Result<Option<PathBuf>, String> {
    for path in candidates {
        if path.as_os_str().is_empty() {
            Err("an empty path".to_string())?;
        }
        if exists(&path) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn main() {
    let candidates: Vec<PathBuf> = ["a.toml", "b.toml", "c.toml"].iter().map(PathBuf::from).collect();
    let only_b = |path: &PathBuf| path.ends_with("b.toml");
    assert_eq!(find_config(candidates.clone(), &only_b), Ok(Some(PathBuf::from("b.toml"))));
    assert_eq!(find_config(candidates, &|_| false), Ok(None));
}
