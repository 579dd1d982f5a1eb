use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn drain(mut items: Vec<i32>) -> Result<(), String> {
    #[fail_fast]
    while !items.is_empty() {
        println!("{}", items.remove(0));
    }
    Ok(())
}

fn main() {}
