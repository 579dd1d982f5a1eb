use failfast::fail_fast;

// Places declared outside the loop that the body passes on without moving them out: a
// `Copy` value, a reference, a clone, a `ref` binding, a binding of nothing, or a name the
// body binds again before it moves it.
fn take(_: String) {}
fn count(_: usize) {}
fn look(_: &str) {}

struct Config {
    name: String,
    retries: usize,
}

#[fail_fast(workers = 2)]
fn uses(xs: &[String], config: &Config, limit: usize) -> Result<(), String> {
    let owned = String::from("o");
    let pair = (String::from("a"), 1u8);
    for x in xs {
        count(limit);
        count(config.retries);
        look(&owned);
        look(&config.name);
        take(owned.clone());
        let ref name = owned;
        let _ = owned;
        let (_, _) = pair;
        let owned = owned.clone();
        take(owned);
        if x.len() > limit {
            return Err(format!("{name} too long"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn uses_async(xs: &[String], limit: usize) -> Result<(), String> {
    let owned = String::from("o");
    for x in xs {
        tokio::task::yield_now().await;
        count(limit);
        look(&owned);
        let owned = owned.clone();
        take(owned);
        if x.len() > limit {
            return Err("too long".into());
        }
    }
    Ok(())
}

fn main() {
    let config = Config {
        name: "n".into(),
        retries: 2,
    };
    let xs = vec!["ab".to_string(), "c".to_string()];
    assert_eq!(uses(&xs, &config, 1), Err("o too long".into()));
    let ran = futures::executor::block_on(uses_async(&xs, 5));
    assert_eq!(ran, Ok(()));
}
