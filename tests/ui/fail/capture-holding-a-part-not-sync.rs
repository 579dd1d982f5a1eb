// A value the body uses holds something that is not `Sync` deep inside (a `Cell` field of a
// struct, an `Rc` in a `HashMap`): the loop's message names the value the body uses, not the
// part rustc found through the map's internals. A closure of the user's that captures a
// `Cell` keeps rustc's report, which names the `Cell` within the closure (the loop's message
// would name only `{closure@..}`).
use failfast::fail_fast;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

struct Stats {
    hits: Cell<u32>,
    name: String,
}

impl Stats {
    fn label(&self) -> String {
        format!("{}:{}", self.name, self.hits.get())
    }
}

#[fail_fast(workers = 2)]
fn labelled(xs: &[u32]) -> Result<(), String> {
    let stats = Stats {
        hits: Cell::new(0),
        name: "s".into(),
    };
    for x in xs {
        if *x == 0 {
            return Err(stats.label());
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn known(keys: &[&str], nodes: &HashMap<String, Rc<String>>) -> Result<(), String> {
    for key in keys {
        if !nodes.contains_key(*key) {
            return Err(key.to_string());
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn bumped(xs: &[u32]) -> Result<(), String> {
    let hits = Cell::new(0u32);
    let bump = |n: u32| n + hits.get();
    for x in xs {
        if bump(*x) > 10 {
            return Err(String::from("big"));
        }
    }
    Ok(())
}

fn main() {
    let _ = bumped(&[1]);
    let _ = labelled(&[1]);
    let _ = known(&["a"], &HashMap::new());
}
