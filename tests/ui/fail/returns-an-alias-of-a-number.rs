use failfast::fail_fast;

type Count = usize;

#[fail_fast(workers = 4)]
fn count(names: &[String]) -> Count {
    for name in names {
        println!("{name}");
    }
    names.len()
}

fn main() {}
