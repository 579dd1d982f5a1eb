// A trait's default method.
use failfast::fail_fast;

trait Source: Sync {
    fn names(&self) -> Vec<String>;
    fn fetch(&self, name: &str) -> Result<usize, String>;

    #[fail_fast(workers = 2)]
    fn fetch_all(&self) -> Result<(), String> {
        for name in self.names() {
            self.fetch(&name)?;
        }
        Ok(())
    }
}

struct Fixed;

impl Source for Fixed {
    fn names(&self) -> Vec<String> {
        vec!["a".into()]
    }
    fn fetch(&self, name: &str) -> Result<usize, String> {
        Ok(name.len())
    }
}

fn main() {
    assert!(Fixed.fetch_all().is_ok());
}
