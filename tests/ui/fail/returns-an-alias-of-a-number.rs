use failfast::fail_fast;

type Count = usize;

#[fail_fast(workers = 4)]
fn count(names: &[String]) -> Count {
    for name in names {
        let _: u32 = name.parse().map_err(|_| ())?;
    }
    names.len()
}

fn main() {}
