use failfast::fail_fast;

// The user's own type errors are rustc's alone: the loop's checks add nothing (they once
// added "multiple applicable items in scope", naming the expansion's `__failfast_parts`).
#[fail_fast(workers = 2)]
fn misspelt(xs: &[u32]) -> Result<(), Strng> {
    for x in xs {
        if *x == 0 {
            return Err("zero".into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn anonymous(words: impl Iterator<Item = &str> + Send) -> Result<(), String> {
    for word in words {
        if word.is_empty() {
            return Err("empty".into());
        }
    }
    Ok(())
}

fn main() {}
