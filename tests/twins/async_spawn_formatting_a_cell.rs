// A spawned async function whose loop prints and formats a `Cell` counter: `{seen:?}` in a
// format string, and `format!`'s arguments. The `Cell` is `Send` but not `Sync`, so only the
// loop's own task may use it, as the sequential loop does. `{width$}`, a name used twice
// and a named argument that shadows a variable keep their meaning; so does a raw identifier.
use failfast::fail_fast;
use std::cell::Cell;
use std::time::Duration;

#[fail_fast(workers = 4)]
async fn serve(mut jobs: tokio::sync::mpsc::Receiver<u32>, width: usize) -> Result<u32, String> {
    let seen = Cell::new(0u32);
    while let Some(job) = jobs.recv().await {
        seen.set(seen.get() + job);
        tokio::time::sleep(Duration::from_millis(1)).await;
        println!("job {job:>width$}: {seen:?}, still {seen:?}");
        eprintln!("{seen}", seen = job);
        let r#type = Cell::new(job);
        println!("{}", r#type.get());
        if seen.get() > 1_000 {
            return Err(format!("too much work: {} ({seen:?})", seen.get()));
        }
    }
    Ok(seen.get())
}

#[tokio::main]
async fn main() {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let served = tokio::spawn(serve(rx, 3));
    for job in 1..=10 {
        tx.send(job).await.unwrap();
    }
    drop(tx);
    assert_eq!(served.await.unwrap(), Ok(55));
}
