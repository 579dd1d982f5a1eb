// Methods taking `&self`: the body borrows `self` from worker threads.
use failfast::fail_fast;
use std::collections::HashMap;

struct Bucket {
    files: HashMap<String, Vec<u8>>,
}

#[derive(Debug, PartialEq)]
struct Missing(String);

impl Bucket {
    #[fail_fast(workers = 8)]
    fn download_all(&self, names: impl Iterator<Item = String>) -> Result<(), Missing> {
        for name in names {
            self.download(&name)?;
        }
        Ok(())
    }

    fn download(&self, name: &str) -> Result<usize, Missing> {
        self.files.get(name).map(Vec::len).ok_or_else(|| Missing(name.to_string()))
    }
}

fn main() {
    let bucket = Bucket {
        files: (0..50).map(|i| (format!("f{i}"), vec![0; i])).collect(),
    };
    assert_eq!(bucket.download_all((0..50).map(|i| format!("f{i}"))), Ok(()));
    assert_eq!(
        bucket.download_all(["f1", "nope", "f2"].into_iter().map(String::from)),
        Err(Missing("nope".into()))
    );
}
