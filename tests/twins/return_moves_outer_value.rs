// A `return` that moves a value declared before the loop: a parameter, a local that the code
// after the loop uses again, an error moved by `bail!`.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn first_empty(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        if name.is_empty() {
            return Ok(fallback);
        }
    }
    Ok(fallback + " (no empty name)")
}

#[fail_fast(workers = 2)]
fn labelled(sizes: &[u64]) -> Option<(String, u64)> {
    let mut label = String::from("first");
    for size in sizes {
        if *size > 10 {
            return Some((label, *size));
        }
    }
    label.push_str(" none");
    println!("{label}");
    None
}

#[fail_fast(workers = 3)]
fn first_long(names: &[String]) -> Result<Vec<String>, String> {
    let mut report: Vec<String> = Vec::new();
    report.push(format!("{} names", names.len()));
    for name in names {
        if name.len() > 3 {
            return Ok(report);
        }
    }
    Ok(report)
}

#[fail_fast(workers = 3)]
fn seeded(names: &[String]) -> Result<Vec<String>, String> {
    #[allow(clippy::useless_vec)]
    let report = vec!["seed".to_string()];
    for name in names {
        if name.len() > 3 {
            return Ok(report);
        }
    }
    Ok(report)
}

#[fail_fast(workers = 2)]
fn bail_on_zero(sizes: &[u64]) -> anyhow::Result<()> {
    let context = anyhow::anyhow!("a zero in {} sizes", sizes.len());
    for size in sizes {
        if *size == 0 {
            anyhow::bail!(context);
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
async fn first_empty_async(names: &[String], fallback: String) -> Result<String, String> {
    for name in names {
        std::future::ready(()).await;
        if name.is_empty() {
            return Ok(fallback);
        }
    }
    Ok(fallback)
}

fn main() {
    let names = vec!["a".to_string(), String::new()];
    assert_eq!(first_empty(&names, "none".into()), Ok("none".into()));
    assert_eq!(labelled(&[1, 20]), Some(("first".into(), 20)));
    let long = vec!["ab".to_string(), "abcd".to_string()];
    assert_eq!(first_long(&long), Ok(vec!["2 names".to_string()]));
    assert_eq!(seeded(&long), Ok(vec!["seed".to_string()]));
    assert!(bail_on_zero(&[1, 0]).is_err());
    let found = futures::executor::block_on(first_empty_async(&names, "none".into()));
    assert_eq!(found, Ok("none".into()));
}
