// A macro whose argument is a key, not a variable, named like a local declared later.
use failfast::fail_fast;

macro_rules! kv {
    ($k:ident = $v:expr) => {
        println!("{}={}", stringify!($k), $v)
    };
}

#[fail_fast(workers = 4)]
fn report(items: &[u32]) -> Result<usize, String> {
    for item in items {
        kv!(size = item);
    }
    let size = items.len();
    Ok(size)
}

fn main() {
    assert_eq!(report(&[1, 2]), Ok(2));
}
