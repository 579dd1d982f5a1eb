use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn spin() -> Result<(), String> {
    #[fail_fast]
    loop {
        std::thread::yield_now();
    }
}

fn main() {}
