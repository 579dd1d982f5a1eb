use failfast::fail_fast;

// A `return` that moves a field of a value declared outside the loop, or converts such a
// value by a method that takes it, where the loop cannot keep the value for its first
// `return`: the iterations share it. Each is reported at the value, in the loop's terms.

struct Config {
    name: String,
    limit: usize,
}

// A `move` closure captures only the field its loop's `return` moves (`cfg.name`), and the
// function uses the rest after it: the closure does not own `cfg`, so its loop cannot keep it.
#[fail_fast(workers = 2)]
fn named(sizes: Vec<usize>, cfg: Config) -> Result<usize, String> {
    let find = move |sizes: Vec<usize>| -> Result<String, String> {
        #[fail_fast]
        for size in sizes {
            if size == 0 {
                return Ok(cfg.name);
            }
        }
        Ok(String::new())
    };
    Ok(find(sizes)?.len() + cfg.limit)
}

// The body reads `label` in every iteration: the one that returns would convert the value
// the others read.
#[fail_fast(workers = 2)]
fn as_bytes(sizes: &[usize], label: String) -> Result<Vec<u8>, String> {
    for size in sizes {
        if *size == label.len() {
            return Ok(label.into_bytes());
        }
    }
    Ok(Vec::new())
}

fn main() {}
