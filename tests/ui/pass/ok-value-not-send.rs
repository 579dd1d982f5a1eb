// A function whose `Ok` (or `Some`) value is not `Send` (an `Rc`, a `Box<dyn Trait>`), with a
// loop that only fails, by `?` or by `return Err(..)` / `return None`: the loop carries back its
// failure alone, so the value, made on the calling thread after the loop, need not cross
// threads, as in the sequential loop. Also in a `while let` loop and an async loop.
use failfast::fail_fast;
use std::rc::Rc;

fn check(x: u32) -> Result<(), String> {
    if x > 99 {
        Err(format!("{x} is too big"))
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 2)]
fn shared_total(items: &[u32]) -> Result<Rc<u32>, String> {
    for &x in items {
        check(x)?;
    }
    Ok(Rc::new(items.iter().sum()))
}

#[fail_fast(workers = 2)]
fn first_if_all_small(items: &[u32]) -> Option<Rc<u32>> {
    for &x in items {
        check(x).ok()?;
    }
    items.first().copied().map(Rc::new)
}

pub trait Plugin {
    fn name(&self) -> &str;
}

struct Named(String);

impl Plugin for Named {
    fn name(&self) -> &str {
        &self.0
    }
}

#[fail_fast(workers = 4)]
fn load(names: &[&str]) -> Result<Vec<Box<dyn Plugin>>, String> {
    for name in names {
        if name.is_empty() {
            return Err("a plugin without a name".into());
        }
        let _version: u32 = name.len().try_into().map_err(|_| "too long".to_string())?;
    }
    Ok(names
        .iter()
        .map(|name| Box::new(Named(name.to_string())) as Box<dyn Plugin>)
        .collect())
}

#[fail_fast(workers = 2)]
fn first_name(names: &[&str]) -> Option<Rc<str>> {
    for name in names {
        if name.is_empty() {
            return None;
        }
    }
    names.first().map(|name| Rc::from(*name))
}

/// `None` written as a path to it.
#[fail_fast(workers = 2)]
fn first_word(words: &[&str]) -> Option<Rc<str>> {
    for word in words {
        if word.is_empty() {
            return Option::None;
        }
        if word.len() > 20 {
            return std::option::Option::None;
        }
    }
    words.first().map(|word| Rc::from(*word))
}

#[fail_fast(workers = 2)]
fn lines(lines: std::sync::mpsc::Receiver<String>) -> Result<Rc<usize>, std::io::Error> {
    let mut count = 0;
    while let Ok(line) = lines.recv() {
        if line == "bad" {
            return Err(std::io::Error::other(format!("line {line:?}")));
        }
    }
    count += 1;
    Ok(Rc::new(count))
}

#[fail_fast(workers = 2)]
async fn fetched(urls: Vec<&str>) -> Result<Rc<usize>, String> {
    for url in &urls {
        std::future::ready(()).await;
        if url.is_empty() {
            return Err(format!("empty url among {}", urls.len()));
        }
    }
    Ok(Rc::new(urls.len()))
}

/// An alias that is not the standard `Result`'s shape: the failure is coerced to the
/// written type, whatever it stands for.
mod boxed {
    #[derive(Debug, PartialEq)]
    pub struct Odd(pub u32);
    pub type Result<T, E> = std::result::Result<T, Box<E>>;
}

#[fail_fast(workers = 2)]
fn first_odd(xs: &[u32]) -> boxed::Result<Rc<u32>, boxed::Odd> {
    for &x in xs {
        if x % 2 == 1 {
            return Err(Box::new(boxed::Odd(x)));
        }
    }
    Ok(Rc::new(0))
}

fn main() {
    assert_eq!(first_odd(&[2, 4, 7]).unwrap_err(), Box::new(boxed::Odd(7)));
    assert_eq!(first_odd(&[2]).as_deref().ok(), Some(&0));
    let loaded = load(&["a", "bc"]).unwrap();
    assert_eq!(loaded.iter().map(|p| p.name()).collect::<Vec<_>>(), ["a", "bc"]);
    assert_eq!(load(&["a", ""]).err(), Some("a plugin without a name".to_string()));
    assert_eq!(first_name(&["x", "y"]).as_deref(), Some("x"));
    assert_eq!(first_name(&["x", ""]), None);
    assert_eq!(first_word(&["x", "y"]).as_deref(), Some("x"));
    assert_eq!(first_word(&["x", ""]), None);
    let (sent, received) = std::sync::mpsc::channel();
    sent.send("good".to_string()).unwrap();
    sent.send("bad".to_string()).unwrap();
    drop(sent);
    assert_eq!(lines(received).unwrap_err().to_string(), "line \"bad\"");
    let fetched = futures::executor::block_on(fetched(vec!["a", ""]));
    assert_eq!(fetched, Err("empty url among 2".to_string()));
    assert_eq!(shared_total(&[1, 2]).as_deref(), Ok(&3));
    assert_eq!(shared_total(&[1, 200]), Err("200 is too big".to_string()));
    assert_eq!(first_if_all_small(&[4, 5]).as_deref(), Some(&4));
    assert_eq!(first_if_all_small(&[4, 500]), None);
}
