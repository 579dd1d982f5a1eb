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

// A writer in a field, written to through a macro or a method.
#[fail_fast(workers = 4)]
fn log(report: &mut Report, out: &mut Vec<std::io::Cursor<Vec<u8>>>) -> Result<(), String> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    for i in 0..4 {
        writeln!(&mut report.prefix, "{i}").map_err(|e| e.to_string())?;
        out[i].write_all(b"x").map_err(|e| e.to_string())?;
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

// `take` and a one-argument `replace`, which change an `Option` and the sets.
#[fail_fast(workers = 4)]
fn take_out(
    report: &mut Report,
    seen: &mut std::collections::HashSet<u32>,
    items: &[u32],
) -> Result<(), String> {
    for &x in items {
        let _ = report.largest.take();
        report.largest.replace(u64::from(x));
        let _ = (*seen).take(&x);
    }
    Ok(())
}

fn main() {}
