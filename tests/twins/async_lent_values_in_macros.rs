// An async loop whose body compares, adds and formats the function's values inside `assert!`,
// `assert_eq!`, `anyhow::ensure!`, `format!` and a `tracing` event: each keeps its type (a
// `u32` is not turned into a `&u32`), and `assert!` still quotes the source as written.
use failfast::fail_fast;

async fn fetch(x: u32) -> u32 {
    x
}

#[fail_fast(workers = 4)]
async fn check(xs: Vec<u32>, limit: u32, offset: u32, name: String) -> anyhow::Result<()> {
    let expected = 1u32;
    for x in xs {
        let v = fetch(x).await;
        assert!(v < limit, "{v} is over {limit}");
        assert_eq!(v, expected);
        debug_assert!(v <= limit);
        anyhow::ensure!(v < limit, "{v} is over {limit}");
        println!("{} {}", v + offset, name.len() + 1);
        tracing::info!(total = v + offset, "got {}", offset * 2);
        if v > offset {
            anyhow::bail!("{}", offset.max(v));
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    tokio::spawn(check(vec![1, 1], 5, 2, "n".into()))
        .await
        .unwrap()
        .unwrap();
}
