use failfast::fail_fast;

// An input that is not an iterator (`n` for `0..n`): rustc's own error for the sequential
// loop, once, naming nothing of the rewrite. (A reference gets it twice: at the input, and
// at `for`, where the loop picks how to run.)

#[fail_fast(workers = 4)]
fn squares(n: u64) -> Result<(), String> {
    for i in n {
        if i * i > 50 {
            return Err(format!("{i}"));
        }
    }
    Ok(())
}

// The item itself returned: its type is the body's to give, and no check reads it first.
#[fail_fast(workers = 4)]
fn first_three(n: u64) -> Result<(), u64> {
    for i in n {
        if i == 3 {
            return Err(i);
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
async fn fetch_all(pages: u32) -> Result<(), String> {
    for page in pages {
        std::future::ready(page).await;
    }
    Ok(())
}

struct Catalog {
    names: Vec<String>,
}

#[fail_fast(workers = 4)]
fn check(catalog: &Catalog) -> Result<(), String> {
    for name in catalog {
        if name.is_empty() {
            return Err("empty".into());
        }
    }
    Ok(())
}

fn main() {}
