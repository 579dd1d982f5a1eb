use failfast::fail_fast;

// The body's own code moves out a value declared outside the loop, elsewhere than in a
// `return`: every iteration that gets there would move the one value the iterations share
// (a sequential loop could not either). Reported at the value, not as a move out of a
// closure the user did not write.
fn take(_: String) {}

struct Config {
    name: String,
    retries: u32,
}

#[fail_fast(workers = 2)]
fn thread_for(xs: &[String], owned: String, config: &Config) -> Result<(), String> {
    for x in xs {
        if x.is_empty() {
            take(owned);
        }
        let name = config.name;
        // A `Copy` field moves nothing.
        let _retries = config.retries;
        println!("{name}");
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn thread_while_let(
    rx: &crossbeam_channel::Receiver<String>,
    owned: String,
) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    while let Ok(x) = rx.recv() {
        let mine = vec![owned];
        if x.is_empty() {
            drop(mine);
        }
    }
    found.push(String::new());
    Ok(found)
}

#[fail_fast(workers = 2)]
async fn async_for(xs: &[String], owned: String) -> Result<(), String> {
    for x in xs {
        tokio::task::yield_now().await;
        let kept = owned;
        if x.is_empty() {
            take(kept);
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn async_while_let(
    rx: &mut tokio::sync::mpsc::Receiver<String>,
    owned: String,
) -> Result<(), String> {
    let mut names: Vec<String> = Vec::new();
    names.clear();
    while let Some(x) = rx.recv().await {
        if x.is_empty() {
            Some(owned).map(take);
        }
    }
    Ok(())
}

// Locals whose type their constructor gives (`String::from`, `PathBuf::from`), which the
// loop's checks need settled before the loop.
#[fail_fast(workers = 2)]
fn built_before(xs: &[String]) -> Result<(), String> {
    let owned = String::from("owned");
    let path = std::path::PathBuf::from("/tmp");
    for x in xs {
        if x.is_empty() {
            take(owned);
            drop(path);
        }
    }
    Ok(())
}

fn main() {}
