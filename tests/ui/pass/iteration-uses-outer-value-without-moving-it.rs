use failfast::fail_fast;

// Places declared outside the loop that the body passes on without moving them out: a
// `Copy` value, a reference, a clone, a `ref` binding, a binding of nothing or of `Copy`
// parts, the fields that `..base` copies, a value whose type only its use in the loop gives,
// or a name the body binds again before it moves it.
fn take(_: String) {}
fn count(_: usize) {}
fn look(_: &str) {}

struct Config {
    name: String,
    retries: usize,
}

#[derive(Debug)]
struct Request {
    url: String,
    retries: usize,
    verbose: bool,
}

fn send(request: &Request) -> Result<(), String> {
    match request.url.is_empty() {
        true => Err(format!("no url, {} retries", request.retries)),
        false => Ok(()),
    }
}

fn below(x: usize, limit: usize) -> bool {
    x < limit
}

#[fail_fast(workers = 2)]
fn copies(xs: &[String], base: Request, limits: Config, arg: &str) -> Result<usize, String> {
    let limit = arg.parse().unwrap();
    let zero = Default::default();
    let pair = (3usize, String::from("three"));
    let parsed: Result<usize, String> = Ok(9);
    for x in xs {
        let request = Request {
            url: x.clone(),
            ..base
        };
        send(&request)?;
        let Config { retries, .. } = limits;
        let (three, _) = pair;
        let Ok(nine) = parsed else {
            return Err("no limit".into());
        };
        if !below(x.len(), limit) || !below(zero, 1) || x.len() > retries + three + nine {
            return Err(format!("{x} too long"));
        }
    }
    Ok(base.retries + usize::from(base.verbose))
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

struct Rng(u64);

impl Rng {
    fn gen<T: From<u8>>(&mut self) -> T {
        T::from(self.0 as u8)
    }
}

fn setting<T: std::str::FromStr + Default>(key: &str) -> T {
    std::env::var(key)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or_default()
}

fn fits(x: u64, limit: u64) -> Result<(), String> {
    match x <= limit {
        true => Ok(()),
        false => Err(format!("{x} is over {limit}")),
    }
}

// Values whose types only their uses in the body give: by a generic method, a generic
// function with arguments, an assignment after the `let`; passed on with or without a `?`.
#[fail_fast(workers = 2)]
fn typed_by_the_body(xs: &[u64], rng: &mut Rng, arg: &str) -> Result<(), String> {
    let seed = rng.gen();
    let ceiling = setting("FAILFAST_TEST_UNSET_SETTING");
    let limit;
    limit = arg.parse().unwrap();
    for &x in xs {
        fits(x, limit)?;
        if fits(x, seed).is_err() && fits(x, ceiling).is_ok() {
            return Err("over the seed".into());
        }
    }
    Ok(())
}

fn generic_use<T: std::fmt::Debug>(x: u64, value: T) -> bool {
    x > 0 || format!("{value:?}").is_empty()
}

// A value whose type only the code after the loop gives, passed on by the body.
#[fail_fast(workers = 2)]
fn typed_after_the_loop(xs: &[u64]) -> Result<u64, String> {
    let limit = Default::default();
    for &x in xs {
        if !generic_use(x, limit) {
            return Err("zero".into());
        }
    }
    let limit: u64 = limit;
    Ok(limit)
}

/// A handle that may be sent to another thread but not shared (a foreign library's, say).
#[derive(Clone, Copy)]
struct Handle(*mut u8);
// SAFETY: the handle is only passed around, never dereferenced.
unsafe impl Send for Handle {}

fn valid(handle: Handle, x: u32) -> bool {
    handle.0.is_null() && x < 100
}

// Passed by value, a `Copy` handle is still lent to the iterations: the future stays `Send`.
#[fail_fast(workers = 2)]
async fn with_handle(xs: Vec<u32>, handle: Handle) -> Result<(), String> {
    for x in xs {
        std::future::ready(()).await;
        if !valid(handle, x) {
            return Err("invalid".into());
        }
    }
    Ok(())
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

fn main() {
    let base = Request {
        url: String::new(),
        retries: 4,
        verbose: true,
    };
    let limits = Config {
        name: "limits".into(),
        retries: 20,
    };
    assert_eq!(copies(&["ab".into()], base, limits, "5"), Ok(5));
    assert_eq!(typed_by_the_body(&[1, 2], &mut Rng(7), "5"), Ok(()));
    assert_eq!(
        typed_by_the_body(&[9], &mut Rng(7), "5"),
        Err("9 is over 5".into())
    );
    assert_eq!(typed_after_the_loop(&[1, 2]), Ok(0));
    assert_eq!(typed_after_the_loop(&[0]), Err("zero".into()));
    let handle = Handle(std::ptr::null_mut());
    let sent = assert_send(with_handle(vec![1, 2], handle));
    assert_eq!(futures::executor::block_on(sent), Ok(()));
    let config = Config {
        name: "n".into(),
        retries: 2,
    };
    let xs = vec!["ab".to_string(), "c".to_string()];
    assert_eq!(uses(&xs, &config, 1), Err("o too long".into()));
    let ran = futures::executor::block_on(uses_async(&xs, 5));
    assert_eq!(ran, Ok(()));
}
