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

/// A lock's guard is `Sync` but not `Send`: a `return` that only reads it through a format
/// leaves it shared, as before, rather than kept (which would move it).
pub struct Settings {
    pub max: usize,
}

#[fail_fast(workers = 4)]
fn guard_read_in_a_return(jobs: &[usize], settings: &std::sync::RwLock<Settings>) -> Result<(), String> {
    let limits = settings.read().unwrap();
    for job in jobs {
        if *job > 10 {
            return Err(format!("job {job} is over the limit {}", limits.max));
        }
    }
    Ok(())
}

/// A local named like a method the `return` calls is not what it moves.
#[fail_fast(workers = 4)]
fn local_named_like_a_method(names: &[String]) -> Result<usize, usize> {
    let len = std::rc::Rc::new(0_usize);
    for name in names {
        if name.is_empty() {
            return Err(name.len());
        }
    }
    Ok(*len)
}

#[fail_fast(workers = 4)]
fn through_more_shapes(
    items: &[u32],
    base: i64,
    boxed: Box<String>,
    choice: Option<String>,
    name: Option<String>,
    shown: String,
) -> Result<String, String> {
    for &item in items {
        match item {
            1 => return Ok((-base).to_string()),
            2 => return Ok(*boxed),
            3 => {
                return match choice {
                    Some(v) => Ok(v),
                    None => Err("none".to_owned()),
                }
            }
            4 => return Ok(name.filter(|n| !n.is_empty()).unwrap_or_default()),
            5 => return Ok(dbg!(shown)),
            _ => {}
        }
    }
    Ok(String::new())
}

#[fail_fast(workers = 4)]
fn if_let_and_closure(items: &[u32], fallback: Option<String>, label: String) -> Result<Box<dyn Fn() -> String + Send>, String> {
    for &item in items {
        if item == 1 {
            return Err(if let Some(v) = fallback { v } else { String::from("d") });
        }
        if item == 2 {
            return Ok(Box::new(move || label.clone()));
        }
    }
    Err(String::new())
}

#[fail_fast(workers = 4)]
fn with_context(items: &[u32], parsed: Result<u32, std::num::ParseIntError>) -> anyhow::Result<u32> {
    use anyhow::Context as _;
    for &item in items {
        if item == 1 {
            return parsed.context("no base");
        }
    }
    Ok(0)
}

async fn convert(s: String) -> String {
    s + "!"
}

#[fail_fast(workers = 4)]
async fn awaited(items: &[u32], fallback: String) -> Result<String, String> {
    for &item in items {
        std::future::ready(()).await;
        if item == 1 {
            return Ok(convert(fallback).await);
        }
    }
    Ok(String::new())
}

/// A lock's guard is read through, never moved out of: it stays shared.
pub struct Stats {
    pub count: u32,
}

#[fail_fast(workers = 4)]
fn read_through_a_guard(items: &[u32], stats: &std::sync::Mutex<Stats>) -> Result<u32, String> {
    let guard = stats.lock().unwrap();
    for &item in items {
        if item == 1 {
            return Ok(guard.count);
        }
    }
    Ok(0)
}

/// Guards made other ways, and one passed in: read through, never kept.
#[fail_fast(workers = 4)]
fn guards_made_other_ways(items: &[u32], stats: &std::sync::Mutex<Stats>) -> Result<u32, String> {
    let guard = stats.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for &item in items {
        if item == 1 {
            return Ok(guard.count);
        }
    }
    Ok(0)
}

#[fail_fast(workers = 4)]
fn guard_by_match(items: &[u32], stats: &std::sync::Mutex<Stats>) -> Result<u32, String> {
    let guard = match stats.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    for &item in items {
        if item == 1 {
            return Ok(guard.count);
        }
    }
    Ok(0)
}

#[fail_fast(workers = 4)]
fn guard_parameter(items: &[u32], guard: std::sync::MutexGuard<'_, Stats>) -> Result<u32, String> {
    for &item in items {
        if item == 1 {
            return Ok(guard.count + 1);
        }
    }
    Ok(guard.count)
}

fn main() {
    let stats = std::sync::Mutex::new(Stats { count: 4 });
    assert_eq!(guards_made_other_ways(&[1], &stats), Ok(4));
    assert_eq!(guard_by_match(&[1], &stats), Ok(4));
    assert_eq!(guard_parameter(&[1], stats.lock().unwrap()), Ok(5));
    assert_eq!(
        through_more_shapes(&[2], 5, Box::new("b".into()), None, None, "s".into()),
        Ok("b".to_owned())
    );
    assert!(if_let_and_closure(&[1], None, "l".into()).is_err());
    assert!(with_context(&[1], "x".parse()).is_err());
    assert_eq!(futures::executor::block_on(awaited(&[1], "a".into())), Ok("a!".to_owned()));
    assert_eq!(read_through_a_guard(&[1], &std::sync::Mutex::new(Stats { count: 4 })), Ok(4));
    let settings = std::sync::RwLock::new(Settings { max: 10 });
    assert!(guard_read_in_a_return(&[1, 30], &settings).is_err());
    assert_eq!(local_named_like_a_method(&[String::new()]), Err(0));
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
