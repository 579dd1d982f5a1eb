// `return`s of thread loops whose function does not write what the exit holds (`impl Trait`,
// a closure's inferred type), with values whose type only a later use gives: each `return`
// checks its own value's parts (see `tests/ui/fail/return-not-send-with-an-untyped-exit.rs`),
// which leaves their types to rustc's inference.
use failfast::fail_fast;
use std::fmt::Debug;

#[fail_fast(workers = 4)]
fn defaulted(items: Vec<u32>) -> Result<impl Debug, String> {
    for x in items {
        if x > 10 {
            return Ok(Default::default());
        }
        if x == 5 {
            return Err(x.to_string());
        }
    }
    Ok(7u64)
}

#[fail_fast(workers = 4)]
fn empty(items: Vec<u32>) -> Option<impl Debug> {
    for x in items {
        if x > 10 {
            return Some(vec![]);
        }
    }
    Some(vec![1u8])
}

#[fail_fast(workers = 4)]
fn in_closures(names: &[String]) -> Result<usize, String> {
    let count = |names: &[String]| {
        #[fail_fast]
        for name in names {
            if name.is_empty() {
                return Ok((name.len() as u32).into());
            }
            if name == "e" {
                return Err(format!("{name}"));
            }
        }
        Ok::<u64, String>(1)
    };
    let first = |names: &[String]| {
        #[fail_fast]
        for name in names {
            if name.len() > 3 {
                return Some(name[..1].to_string());
            }
        }
        None
    };
    Ok(count(names)? as usize + first(names).map_or(0, |s| s.len()))
}

// What the type writes beside its `impl Trait` still coerces the `return`'s value, as the
// sequential `return` does: a `Box<fmt::Error>` into the written error, an array into a slice.
#[fail_fast(workers = 4)]
fn mixed(items: Vec<u32>) -> Result<impl Debug, Box<dyn std::error::Error + Send + Sync>> {
    for x in items {
        if x == 3 {
            return Err(Box::new(std::fmt::Error));
        }
        if x == 4 {
            return Ok(x);
        }
    }
    Ok(5)
}

#[fail_fast(workers = 4)]
fn slice(items: Vec<u32>) -> Result<&'static [u8], impl Debug> {
    for x in items {
        if x == 3 {
            return Ok(&[1, 2]);
        }
        if x == 9 {
            return Err(x);
        }
    }
    Ok(&[])
}

fn main() {
    assert!(mixed(vec![1, 3]).is_err());
    assert_eq!(format!("{:?}", mixed(vec![4])), "Ok(4)");
    assert_eq!(format!("{:?}", slice(vec![3])), "Ok([1, 2])");
    assert_eq!(format!("{:?}", slice(vec![9])), "Err(9)");
    assert_eq!(format!("{:?}", defaulted(vec![1, 20])), "Ok(0)");
    assert_eq!(format!("{:?}", defaulted(vec![5])), "Err(\"5\")");
    assert_eq!(format!("{:?}", empty(vec![20])), "Some([])");
    assert_eq!(in_closures(&["abcd".into()]), Ok(2));
    assert_eq!(in_closures(&["e".into()]), Err("e".into()));
}
