use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn download(name: &str) -> Result<(), String> {
    println!("{name}");
    Ok(())
}

fn main() {}
