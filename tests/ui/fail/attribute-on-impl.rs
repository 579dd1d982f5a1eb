use failfast::fail_fast;

struct Bucket;

#[fail_fast(workers = 4)]
impl Bucket {
    fn download_all(&self, names: &[String]) -> Result<(), String> {
        for name in names {
            println!("{name}");
        }
        Ok(())
    }
}

fn main() {}
