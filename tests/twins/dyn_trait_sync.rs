// A `&(dyn Trait + Sync)` argument used by the body.
use failfast::fail_fast;

trait Store {
    fn save(&self, item: u32) -> Result<(), String>;
}

struct Memory;

impl Store for Memory {
    fn save(&self, _: u32) -> Result<(), String> {
        Ok(())
    }
}

#[fail_fast(workers = 2)]
fn save_all(items: &[u32], store: &(dyn Store + Sync)) -> Result<(), String> {
    for &item in items {
        store.save(item)?;
    }
    Ok(())
}

fn main() {
    assert!(save_all(&[1], &Memory).is_ok());
}
