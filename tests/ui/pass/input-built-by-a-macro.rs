// An input built by a macro, whose closure the rewrite cannot see (the call shows only
// `names, seen`; the closure borrowing a `RefCell` is in the macro's definition): it is taken
// to hold a capturing closure and pulled by the calling thread, as a `filter` written in the
// `for` expression is. It was refused before ("cannot be shared by its worker threads").
use failfast::fail_fast;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Mutex;

macro_rules! unique {
    ($names:expr, $seen:expr) => {
        $names.iter().filter(|name| $seen.borrow_mut().insert(name.to_string()))
    };
}

#[fail_fast(workers = 4)]
fn greet(names: &[String], greeted: &Mutex<Vec<String>>) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    let unique_names = unique!(names, seen);
    for name in unique_names {
        if name.is_empty() {
            return Err("a name is empty".into());
        }
        greeted.lock().unwrap().push(format!("hello {name}"));
    }
    Ok(())
}

// The same macro in the `for` expression itself.
#[fail_fast(workers = 4)]
fn greet_inline(names: &[String], greeted: &Mutex<Vec<String>>) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    for name in unique!(names, seen) {
        greeted.lock().unwrap().push(format!("hello {name}"));
    }
    Ok(())
}

fn main() {
    let names: Vec<String> = ["ann", "bob", "ann", "cy", "bob"].map(String::from).into();
    let greeted = Mutex::new(Vec::new());
    greet(&names, &greeted).unwrap();
    let mut all = greeted.lock().unwrap().split_off(0);
    all.sort();
    assert_eq!(all, ["hello ann", "hello bob", "hello cy"]);
    assert_eq!(greet(&["a".into(), String::new()], &greeted), Err("a name is empty".into()));

    greeted.lock().unwrap().clear();
    greet_inline(&names, &greeted).unwrap();
    let mut all = greeted.lock().unwrap().split_off(0);
    all.sort();
    assert_eq!(all, ["hello ann", "hello bob", "hello cy"]);
}
