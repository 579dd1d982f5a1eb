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

fn main() {
    assert_eq!(format!("{:?}", defaulted(vec![1, 20])), "Ok(0)");
    assert_eq!(format!("{:?}", defaulted(vec![5])), "Err(\"5\")");
    assert_eq!(format!("{:?}", empty(vec![20])), "Some([])");
    assert_eq!(in_closures(&["abcd".into()]), Ok(2));
    assert_eq!(in_closures(&["e".into()]), Err("e".into()));
}
