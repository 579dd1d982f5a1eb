// A `return` that moves values declared before the loop, in shapes two second readers found:
// a `Copy` value borrowed across the loop, a `let` under `#[cfg]`, a raw identifier, two
// values moved by returns in different orders, nested loops keeping values of their own, and
// code after the loop that only seems to use a kept value (a field, a shadowing `let`, a
// closure's parameter, a format string's longer name, an assignment before any read).
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn borrowed_across(items: &[u32]) -> Result<u32, String> {
    let mut best = 0;
    best += u32::try_from(items.len()).unwrap();
    let view = &best;
    for i in items {
        if *i == 0 {
            return Ok(best);
        }
    }
    Ok(*view)
}

#[fail_fast(workers = 2)]
fn under_cfg(items: &[u32]) -> Result<u32, String> {
    let n: u32 = 5;
    #[cfg(any())]
    let mut n: u32 = 6;
    for i in items {
        if *i == 0 {
            return Ok(n);
        }
    }
    Ok(1)
}

#[fail_fast(workers = 2)]
fn raw(items: &[u32], r#type: String) -> Result<String, String> {
    for i in items {
        if *i == 0 {
            return Ok(r#type);
        }
    }
    Ok(String::new())
}

fn pair(first: String, second: String) -> (String, String) {
    (first, second)
}

#[fail_fast(workers = 2)]
fn two(items: &[u32], a: String, b: String) -> Result<(String, String), String> {
    for i in items {
        if *i == 0 {
            return Ok(pair(a, b));
        }
        if *i == 1 {
            return Ok(pair(b, a));
        }
    }
    Ok((a, b))
}

fn joined(a: String, b: &str) -> String {
    a + b
}

#[fail_fast(workers = 2)]
fn nested(xs: &[u32]) -> Result<u32, String> {
    let a = String::from("a");
    let b = String::from("b");
    #[fail_fast]
    for x in xs {
        let a_b = String::from("ab");
        #[fail_fast]
        for y in xs {
            if *y == 7 {
                return Err(a_b);
            }
        }
        if *x == 3 {
            return Err(joined(a, &b));
        }
    }
    Ok(0)
}

struct Config {
    a: u32,
}

#[fail_fast(workers = 2)]
fn field_of_that_name(xs: &[u32], config: &Config) -> Result<u32, String> {
    let a = String::from("x");
    for x in xs {
        if *x == 3 {
            return Err(a);
        }
    }
    Ok(config.a)
}

#[fail_fast(workers = 2)]
fn shadowed_after(xs: &[u32]) -> Result<u32, String> {
    let a = String::from("x");
    for x in xs {
        if *x == 3 {
            return Err(a);
        }
    }
    let a = 5;
    Ok(a)
}

#[fail_fast(workers = 2)]
fn closure_parameter_after(xs: &[u32]) -> Result<u32, String> {
    let a = String::from("x");
    for x in xs {
        if *x == 3 {
            return Err(a);
        }
    }
    let add = |a: u32| a + 1;
    Ok(add(1))
}

#[fail_fast(workers = 2)]
fn longer_name_formatted(xs: &[u32], abc: u32) -> Result<u32, String> {
    let a = String::from("x");
    for x in xs {
        if *x == 3 {
            return Err(a);
        }
    }
    println!("{abc}");
    Ok(0)
}

#[fail_fast(workers = 2)]
fn assigned_before_read(xs: &[u32]) -> Result<String, String> {
    let mut a = String::from("x");
    a.push('y');
    for x in xs {
        if *x == 3 {
            return Err(a);
        }
    }
    a = String::from("z");
    Ok(a)
}

fn main() {
    assert_eq!(borrowed_across(&[1, 2]), Ok(2));
    assert_eq!(under_cfg(&[1, 0]), Ok(5));
    assert_eq!(raw(&[0], "t".into()), Ok("t".into()));
    assert!(two(&[0, 1], "a".into(), "b".into()).is_ok());
    assert_eq!(nested(&[1, 3]), Err("ab".to_string()));
    assert_eq!(field_of_that_name(&[1], &Config { a: 1 }), Ok(1));
    assert_eq!(shadowed_after(&[1]), Ok(5));
    assert_eq!(closure_parameter_after(&[1]), Ok(2));
    assert_eq!(longer_name_formatted(&[1], 2), Ok(0));
    assert_eq!(assigned_before_read(&[1]), Ok("z".into()));
}
