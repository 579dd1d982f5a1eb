// A method of an impl block, looping over its own field.
use failfast::fail_fast;

struct Catalog {
    items: Vec<String>,
    max_len: usize,
}

impl Catalog {
    #[fail_fast(workers = 2)]
    fn validate(&self) -> Result<(), String> {
        for item in &self.items {
            if item.len() > self.max_len {
                return Err(format!("{item} is too long"));
            }
        }
        Ok(())
    }
}

fn main() {
    let catalog = Catalog { items: vec!["a".into()], max_len: 3 };
    assert!(catalog.validate().is_ok());
}
