use failfast::fail_fast;
use std::collections::HashMap;

// A standard container reached through a field or an element, which the source does not show
// the type of: rustc's type checking finds it, and the error says why in the loop's terms.
struct Report {
    prefix: String,
    names: Vec<String>,
    sizes: HashMap<String, u64>,
    largest: Option<u64>,
}

impl Report {
    #[fail_fast(workers = 4)]
    fn add(&mut self, files: &[(String, u64)]) -> Result<(), String> {
        for (name, size) in files {
            println!("{}", self.prefix);
            self.names.push(format!("{}/{name}", self.prefix));
            self.sizes.insert(name.clone(), *size);
            self.largest.get_or_insert(*size);
        }
        Ok(())
    }

    #[fail_fast(workers = 4)]
    async fn fetch(&mut self, files: Vec<String>) -> Result<(), String> {
        for name in files {
            std::future::ready(()).await;
            self.names.push(name);
        }
        Ok(())
    }
}

#[fail_fast(workers = 4)]
fn bucket(report: &mut Report, grid: &mut [Vec<u32>], items: &[u32]) -> Result<(), String> {
    for &x in items {
        report.names.push(x.to_string());
        assert!(!grid.is_empty());
        grid[x as usize % 4].push(x);
    }
    Ok(())
}

// A change inside `assert!`, and an element chosen by another element.
#[fail_fast(workers = 4)]
fn index(report: &mut Report, order: &[usize], grid: &mut [Vec<u32>]) -> Result<(), String> {
    for &x in order {
        assert!(report.names.insert(0, x.to_string()) == ());
        grid[order[x]].push(1);
    }
    Ok(())
}

// A `&mut` of a field, whatever the field's type.
#[fail_fast(workers = 4)]
fn reset(report: &mut Report, items: &[u32]) -> Result<(), String> {
    for _ in items {
        let _ = std::mem::take(&mut report.largest);
    }
    Ok(())
}

fn main() {}
