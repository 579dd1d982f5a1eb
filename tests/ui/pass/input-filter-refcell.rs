// An input whose `filter` borrows a `RefCell` (not `Sync`): written in the `for` expression,
// or built earlier in the function, it is pulled by the calling thread.
use failfast::fail_fast;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Mutex;

#[fail_fast(workers = 4)]
fn greet_once(names: &[String], greeted: &Mutex<Vec<String>>) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    for name in names.iter().filter(|n| seen.borrow_mut().insert(n.to_string())) {
        if name.is_empty() {
            return Err("a name is empty".into());
        }
        greeted.lock().unwrap().push(format!("hello {name}"));
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn greet_once_built_earlier(names: &[String], greeted: &Mutex<Vec<String>>) -> Result<(), String> {
    let seen = RefCell::new(HashSet::new());
    let unique = names.iter().filter(|n| seen.borrow_mut().insert(n.to_string()));
    let first_three = unique.take(3);
    for name in first_three {
        greeted.lock().unwrap().push(format!("hello {name}"));
    }
    Ok(())
}

fn main() {
    let names: Vec<String> = ["ann", "bob", "ann", "cy", "bob", "dee"].map(String::from).into();
    let greeted = Mutex::new(Vec::new());
    greet_once(&names, &greeted).unwrap();
    let mut all = greeted.lock().unwrap().split_off(0);
    all.sort();
    assert_eq!(all, ["hello ann", "hello bob", "hello cy", "hello dee"]);
    assert_eq!(greet_once(&["a".into(), String::new()], &greeted), Err("a name is empty".into()));

    greeted.lock().unwrap().clear();
    greet_once_built_earlier(&names, &greeted).unwrap();
    let mut first = greeted.into_inner().unwrap();
    first.sort();
    assert_eq!(first, ["hello ann", "hello bob", "hello cy"]);
}
