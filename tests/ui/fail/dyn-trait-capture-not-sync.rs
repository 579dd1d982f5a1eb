use failfast::fail_fast;

trait Store {
    fn save(&self, item: u32) -> Result<(), String>;
}

#[fail_fast(workers = 4)]
fn save_all(items: &[u32], store: &dyn Store) -> Result<(), String> {
    for &item in items {
        store.save(item)?;
    }
    Ok(())
}

fn main() {}
