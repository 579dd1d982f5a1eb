// An option whose value is cut short: the error is at the option, not on the whole attribute.
use failfast::fail_fast;

#[fail_fast(workers = 4 +)]
fn download(names: &[String]) -> Result<(), String> {
    for name in names {
        println!("{name}");
    }
    Ok(())
}

fn main() {}
