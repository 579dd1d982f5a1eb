use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn count(names: &[String]) -> usize {
    for name in names {
        println!("{name}");
    }
    names.len()
}

fn main() {}
