// A user's macro in the body expands to `return;` in a `()` function, `return Some(..)` in an
// `Option` function, `return Ok(Some(..))` in a `Result` function: a `return` the rewrite
// cannot see, which gives the iterations the function's own type. Two errors in the loop's
// words, at `for` and at the macro call; none names `ControlFlow` or quotes the runtime.
use failfast::fail_fast;

macro_rules! done_if {
    ($c:expr) => {
        if $c {
            return;
        }
    };
}

macro_rules! found {
    ($c:expr, $v:expr) => {
        if $c {
            return Some($v);
        }
    };
}

macro_rules! found_ok {
    ($v:expr) => {
        return Ok(Some($v))
    };
}

#[fail_fast(workers = 2)]
fn unit(items: Vec<u32>) {
    for x in items {
        done_if!(x == 3);
        println!("{x}");
    }
}

#[fail_fast(workers = 2)]
fn find(items: Vec<u32>) -> Option<u32> {
    for x in items {
        found!(x == 3, x);
    }
    None
}

#[fail_fast(workers = 2)]
fn search(items: Vec<u32>) -> Result<Option<u32>, String> {
    for x in items {
        if x == 3 {
            found_ok!(x);
        }
    }
    Ok(None)
}

// A `return` written in the body beside such a macro is not pointed at: it is not the cause.
#[fail_fast(workers = 2)]
fn search_or_fail(hay: &[&str], needle: &str) -> Result<Option<usize>, String> {
    for (i, h) in hay.iter().enumerate() {
        if h.is_empty() {
            return Err(format!("entry {i} is empty"));
        }
        if h.contains(needle) {
            found_ok!(i);
        }
    }
    Ok(None)
}

fn main() {
    let _ = search_or_fail(&["a"], "a");
    unit(vec![1]);
    let _ = find(vec![1]);
    let _ = search(vec![1]);
}
