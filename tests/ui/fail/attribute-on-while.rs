use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn drain(mut items: Vec<i32>) -> Result<(), String> {
    #[fail_fast]
    while let Some(item) = items.pop() {
        println!("{item}");
    }
    Ok(())
}

fn main() {}
