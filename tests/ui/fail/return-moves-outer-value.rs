use failfast::fail_fast;

// A `return` (or `bail!`, or `Err(..)?`) that moves a value declared outside the loop: each
// iteration that reaches it would move the one value the iterations share.
#[fail_fast(workers = 2)]
fn first_empty(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        if name.is_empty() {
            return Ok(fallback);
        }
    }
    Ok(String::new())
}

#[fail_fast(workers = 2)]
fn check(sizes: &[u64]) -> anyhow::Result<()> {
    let context = format!("checking {} sizes", sizes.len());
    for size in sizes {
        if *size == 0 {
            anyhow::bail!(context);
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn first_zero(sizes: &[u64], reason: String) -> Result<(), String> {
    for size in sizes {
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
    }
    Ok(String::new())
}

fn main() {}
