// Format strings naming variables, a constant and a static inline, and braces.
use failfast::fail_fast;

const LIMIT: u32 = 10;
static UNIT: &str = "ms";

#[fail_fast(workers = 4)]
fn report(items: &[u32]) -> Result<(), String> {
    let label = String::from("item");
    for item in items {
        if *item > LIMIT {
            return Err(format!("{label} {item}{UNIT} is over {LIMIT}{UNIT} {{label}}"));
        }
        println!("{label:>8}: {item:03}");
    }
    Ok(())
}

fn main() {
    assert!(report(&[1, 2]).is_ok());
    assert_eq!(report(&[11]), Err("item 11ms is over 10ms {label}".into()));
}
