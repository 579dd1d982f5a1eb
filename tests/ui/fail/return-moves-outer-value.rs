use failfast::fail_fast;

// A `return` (or `bail!`, or `Err(..)?`) that moves a value declared outside the loop, which
// the loop cannot keep for the first `return` alone: the body uses it elsewhere too (each
// iteration that reaches the `return` would move the one value the iterations share), or it
// is declared outside the loop's own block, where it could not be bound again after the loop.
#[fail_fast(workers = 2)]
fn first_empty(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        if name.is_empty() || *name == fallback {
            return Ok(fallback);
        }
    }
    Ok(String::new())
}

#[fail_fast(workers = 2)]
fn check(sizes: &[u64], strict: bool) -> anyhow::Result<()> {
    let context = format!("checking {} sizes", sizes.len());
    if strict {
        for size in sizes {
            if *size == 0 {
                anyhow::bail!(context);
            }
        }
    }
    println!("{context}");
    Ok(())
}

#[fail_fast(workers = 2)]
fn first_zero(sizes: &[u64], reason: String) -> Result<(), String> {
    for size in sizes {
        if size.to_string() == reason {
            continue;
        }
        if *size == 0 {
            Err(reason)?;
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn first_empty_async(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        std::future::ready(()).await;
        if name.is_empty() {
            return Ok(fallback);
        }
        if *name == fallback {
            continue;
        }
    }
    Ok(String::new())
}

struct Item(String);

impl Item {
    fn register<'a>(&'a self, names: &mut Vec<&'a str>) {
        names.push(&self.0);
    }
}

// A method call before the loop may leave a borrow of the value that lives across the loop
// (in `names`): the loop cannot take the value before it starts, as the `return` would.
#[fail_fast(workers = 2)]
fn registered(sizes: &[u64]) -> Result<usize, Item> {
    let item = Item("x".into());
    let mut names: Vec<&str> = Vec::new();
    item.register(&mut names);
    for size in sizes {
        if *size == 3 {
            return Err(item);
        }
    }
    Ok(names.len())
}

// The loop's options use the value as the loop starts: it is not the loop's to keep.
#[fail_fast(workers = fallback.len().max(1))]
fn sized_by(items: &[u32], fallback: String) -> Result<(), String> {
    for item in items {
        if *item == 0 {
            return Err(fallback);
        }
    }
    Ok(())
}

fn main() {}
