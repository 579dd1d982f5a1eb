// A `return` that moves a value declared before the loop through a field, a method, an
// operator, a macro or a condition; one that only formats it; a field named like a local.
use failfast::fail_fast;

pub struct Config {
    pub fallback: String,
}

#[fail_fast(workers = 4)]
fn field(names: &[String], cfg: Config) -> Result<String, String> {
    for name in names {
        if name.is_empty() {
            return Ok(cfg.fallback);
        }
    }
    Ok(cfg.fallback)
}

#[fail_fast(workers = 4)]
fn method(names: &[String], msg: String) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for name in names {
        if name.is_empty() {
            return Err(msg.into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn operator(names: &[String], prefix: String) -> Result<(), String> {
    for name in names {
        if name.is_empty() {
            return Err(prefix + ": empty name");
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn in_a_macro(names: &[String], fallback: String) -> Result<Vec<String>, String> {
    for name in names {
        if name.is_empty() {
            return Ok(vec![fallback]);
        }
    }
    Ok(vec![])
}

#[fail_fast(workers = 4)]
fn formatted_or_moved(names: &[String], msg: String) -> Result<(), String> {
    for name in names {
        if name.is_empty() {
            return Err(format!("{msg}: {name}"));
        }
        if name == "x" {
            return Err(msg);
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn conditional(names: &[String], long: String, short: String) -> Result<(), String> {
    for name in names {
        if name.len() > 3 {
            return if name.len() > 5 { Err(long) } else { Err(short) };
        }
    }
    Ok(())
}

pub enum Problem {
    Config { fallback: u32 },
}

#[fail_fast(workers = 4)]
fn field_named_like_a_local(names: &[String]) -> Result<u32, Problem> {
    let fallback = 3;
    for name in names {
        if name.is_empty() {
            return Err(Problem::Config { fallback: 1 });
        }
    }
    Ok(fallback)
}

#[fail_fast(workers = 4)]
async fn method_async(names: &[String], msg: String) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for name in names {
        std::future::ready(()).await;
        if name.is_empty() {
            return Err(msg.into());
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn bail_formats_a_cell(items: &[u32]) -> anyhow::Result<()> {
    let seen = std::cell::Cell::new(0);
    for &item in items {
        if item > 10 {
            anyhow::bail!("{item} is over 10 ({seen:?} seen)");
        }
    }
    seen.set(1);
    Ok(())
}

fn main() {
    assert!(bail_formats_a_cell(&[1, 20]).is_err());
    let names = vec![String::from("a"), String::new()];
    assert_eq!(field(&names, Config { fallback: "f".into() }).unwrap(), "f");
    assert!(method(&names, "m".into()).is_err());
    assert!(operator(&names, "p".into()).is_err());
    assert_eq!(in_a_macro(&names, "f".into()).unwrap(), vec!["f".to_owned()]);
    assert!(formatted_or_moved(&names, "m".into()).is_err());
    assert!(conditional(&names, "l".into(), "s".into()).is_ok());
    assert!(matches!(field_named_like_a_local(&names), Err(Problem::Config { fallback: 1 })));
    assert!(futures::executor::block_on(method_async(&names, "m".into())).is_err());
}
