// A loop that only fails (`?`, `return Err(..)`) carries back its failure alone, also where
// the type it leaves through is not written before the loop: a function's
// `Result<impl Trait, E>`, a closure's inferred type. Its `Ok` value stays on the calling
// thread, and need not be `Send` (an `Rc`), as where the type is written out.
use failfast::fail_fast;
use std::rc::Rc;

fn check(n: u32) -> Result<(), String> {
    match n {
        13 => Err(format!("unlucky {n}")),
        _ => Ok(()),
    }
}

#[fail_fast(workers = 4)]
fn by_question_mark(items: &[u32]) -> Result<impl std::fmt::Debug, String> {
    for n in items {
        check(*n)?;
    }
    Ok(Rc::new(items.len()))
}

#[fail_fast(workers = 4)]
fn by_return(items: &[u32]) -> Result<impl std::fmt::Display, String> {
    for n in items {
        if *n == 13 {
            return Err(format!("unlucky {n}"));
        }
    }
    Ok(Rc::new(items.len()))
}

#[fail_fast]
fn in_closures(items: &[u32]) -> (Result<Rc<usize>, String>, Result<Rc<u32>, String>) {
    let returns = |items: &[u32]| {
        #[fail_fast(workers = 4)]
        for n in items {
            if *n == 13 {
                return Err(format!("unlucky {n}"));
            }
        }
        Ok(Rc::new(items.len()))
    };
    // The error's type comes from the closure's tail, after the loop.
    let converts = |items: &[u32]| {
        #[fail_fast(workers = 4)]
        for n in items {
            if *n == 13 {
                return Err(n.to_string().into());
            }
        }
        Ok::<_, String>(Rc::new(7))
    };
    (returns(items), converts(items))
}

// The error's type is written beside an opaque `Ok` type: the failure coerces into it, as
// the sequential `return` does (`Box<fmt::Error>` to `Box<dyn Error + Send + Sync>`).
#[fail_fast(workers = 4)]
fn boxed(items: &[u32]) -> Result<impl std::fmt::Debug, Box<dyn std::error::Error + Send + Sync>> {
    for n in items {
        if *n == 13 {
            return Err(Box::new(std::fmt::Error));
        }
    }
    Ok(Rc::new(items.len()))
}

fn main() {
    assert_eq!(format!("{:?}", boxed(&[1, 2]).unwrap()), "2");
    assert_eq!(boxed(&[1, 13]).unwrap_err().to_string(), "an error occurred when formatting an argument");
    assert_eq!(format!("{:?}", by_question_mark(&[1, 2])), "Ok(2)");
    assert_eq!(
        format!("{:?}", by_question_mark(&[1, 13])),
        "Err(\"unlucky 13\")"
    );
    assert_eq!(by_return(&[1, 2, 3]).map(|n| n.to_string()), Ok("3".into()));
    assert_eq!(
        by_return(&[13, 2]).map(|n| n.to_string()),
        Err("unlucky 13".into())
    );
    assert_eq!(in_closures(&[1, 2]), (Ok(Rc::new(2)), Ok(Rc::new(7))));
    assert_eq!(
        in_closures(&[1, 13]),
        (Err("unlucky 13".into()), Err("13".into()))
    );
}
