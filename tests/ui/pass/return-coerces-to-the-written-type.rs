// A `return` in the body converts its value to the function's written return type, as the
// sequential `return` does: `&&str` to `&str`, `&Vec<u8>` to `&[u8]`, `Box<E>` to
// `Box<dyn Error>`, `Arc<A>` to `Arc<dyn Trait>`, in thread and async loops, in functions,
// methods and closures with a written return type, `while let` loops, and through a nested
// parallel loop.
use failfast::fail_fast;
use std::fmt;
use std::io::Error;
use std::sync::Arc;

#[fail_fast(workers = 2)]
fn lookup<'a>(words: &[&'a str], len: usize) -> Option<&'a str> {
    for w in words {
        if w.len() == len {
            return Some(w);
        }
    }
    None
}

#[fail_fast(workers = 2)]
fn first_long(names: &[String]) -> Result<&str, String> {
    for s in names {
        if s.len() > 3 {
            return Ok(s);
        }
    }
    Err("none".into())
}

#[derive(Debug)]
struct TooBig(u32);

impl fmt::Display for TooBig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is too big", self.0)
    }
}

impl std::error::Error for TooBig {}

#[fail_fast(workers = 2)]
fn check(xs: &[u32]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for &x in xs {
        if x > 10 {
            return Err(Box::new(TooBig(x)));
        }
    }
    Ok(())
}

trait Handler: Send + Sync {
    fn name(&self) -> String;
}

struct Named;

impl Handler for Named {
    fn name(&self) -> String {
        "named".into()
    }
}

#[fail_fast(workers = 2)]
fn find_handler(names: &[&str]) -> Option<Arc<dyn Handler>> {
    for n in names {
        if *n == "a" {
            return Some(Arc::new(Named));
        }
    }
    None
}

struct Store {
    groups: Vec<Vec<u8>>,
}

impl Store {
    #[fail_fast(workers = 2)]
    fn first_nonempty(&self) -> Result<Option<&[u8]>, String> {
        for g in &self.groups {
            if !g.is_empty() {
                return Ok(Some(g));
            }
        }
        Ok(None)
    }
}

#[fail_fast(workers = 2)]
fn nested<'a>(rows: &[Vec<&'a str>]) -> Option<&'a str> {
    for row in rows {
        #[fail_fast(workers = 2)]
        for w in row {
            if w.starts_with('z') {
                return Some(w);
            }
        }
    }
    None
}

#[fail_fast(workers = 2)]
fn received<'a>(words: std::sync::mpsc::Receiver<&'a String>) -> Option<&'a str> {
    while let Ok(w) = words.recv() {
        if w.len() > 2 {
            return Some(w);
        }
    }
    None
}

#[fail_fast(workers = 2)]
fn elided_lifetime(names: &[String]) -> Option<&'_ str> {
    for s in names {
        if s.len() > 3 {
            return Some(s);
        }
    }
    None
}

// The signature's `Error` is `io::Error`; the body's, `fmt::Error`: the value keeps the
// signature's meaning.
#[fail_fast(workers = 2)]
fn shadowed_in_the_body(xs: &[u32]) -> Result<u32, Error> {
    use std::fmt::Error;
    let _unit: Error = Error;
    for x in xs {
        if *x > 1 {
            return Err(std::io::Error::other("big"));
        }
    }
    Ok(0)
}

// `!` cannot be named in a `let` on stable Rust. (A value of type `!` is unreachable code.)
#[allow(unreachable_code)]
#[fail_fast(workers = 2)]
fn exit_with(codes: &[i32]) -> ! {
    for &code in codes {
        if code != 0 {
            return std::process::exit(code);
        }
    }
    std::process::exit(0)
}

#[fail_fast]
fn via_closure(words: &[&'static str]) -> Option<&'static str> {
    let find = |words: &[&'static str]| -> Option<&'static str> {
        #[fail_fast(workers = 2)]
        for w in words {
            if w.len() == 1 {
                return Some(w);
            }
        }
        None
    };
    find(words)
}

#[fail_fast(workers = 2)]
async fn lookup_async<'a>(words: &[&'a str], len: usize) -> Option<&'a str> {
    for w in words {
        std::future::ready(()).await;
        if w.len() == len {
            return Some(w);
        }
    }
    None
}

#[fail_fast(workers = 2)]
async fn check_async(xs: &[u32]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    for &x in xs {
        std::future::ready(()).await;
        if x > 10 {
            return Err(Box::new(TooBig(x)));
        }
    }
    Ok(())
}

fn main() {
    assert_eq!(lookup(&["ab", "abc"], 3), Some("abc"));
    assert_eq!(first_long(&["ab".into(), "abcd".into()]), Ok("abcd"));
    assert_eq!(check(&[1, 20]).unwrap_err().to_string(), "20 is too big");
    assert_eq!(find_handler(&["b", "a"]).map(|h| h.name()), Some("named".into()));
    let store = Store {
        groups: vec![vec![], vec![1, 2]],
    };
    assert_eq!(store.first_nonempty(), Ok(Some(&[1u8, 2][..])));
    assert_eq!(nested(&[vec!["a"], vec!["b", "zed"]]), Some("zed"));
    assert_eq!(via_closure(&["ab", "c"]), Some("c"));
    assert_eq!(elided_lifetime(&["ab".into(), "abcd".into()]), Some("abcd"));
    assert_eq!(shadowed_in_the_body(&[1, 5]).unwrap_err().to_string(), "big");
    let _never: fn(&[i32]) -> ! = exit_with;
    let long = String::from("long");
    let (send, words) = std::sync::mpsc::channel();
    send.send(&long).unwrap();
    drop(send);
    assert_eq!(received(words), Some("long"));
    futures::executor::block_on(async {
        assert_eq!(lookup_async(&["ab", "abc"], 2).await, Some("ab"));
        assert_eq!(check_async(&[30]).await.unwrap_err().to_string(), "30 is too big");
    });
}
