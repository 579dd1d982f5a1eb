use failfast::fail_fast;

fn download(_name: &str) -> Result<(), String> {
    Ok(())
}

#[fail_fast(workers = 4)]
fn download_all(names: &[String]) {
    for name in names {
        download(name)?;
    }
}

fn main() {}
