use failfast::fail_fast;

// A `while let` pattern that does not fit the head's value gets rustc's own error, as the
// sequential loop's does: at the pattern, with the head's own type (never one wrapped by the
// rewrite), its help (`.await` on a future), and once.
async fn handle(x: u32) -> Result<(), String> {
    match x {
        0 => Err("zero".into()),
        _ => Ok(()),
    }
}

#[fail_fast(workers = 4)]
async fn forgot_await(mut rx: tokio::sync::mpsc::Receiver<u32>) -> Result<(), String> {
    while let Some(x) = rx.recv() {
        handle(x).await?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn recv_gives_a_result(rx: std::sync::mpsc::Receiver<u32>) -> Result<(), String> {
    while let Some(x) = rx.recv() {
        println!("{x}");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn pop_gives_an_option(stack: std::sync::Mutex<Vec<u32>>) -> Result<(), String> {
    while let Ok(x) = { stack.lock().unwrap().pop() } {
        println!("{x}");
    }
    Ok(())
}

fn main() {}
