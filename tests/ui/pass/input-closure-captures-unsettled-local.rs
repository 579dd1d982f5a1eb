// An adapter closure in the input that captures a local whose type is only settled after the
// loop (`Vec::new()`, its items' type given by a later `push`): the input is pulled by the
// calling thread, as for any capture the rewrite cannot check while it picks the path.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 2)]
fn offsets(values: &[u32]) -> Result<u32, String> {
    let mut kept = Vec::new();
    for x in values.iter().map(|x| x + kept.len() as u32) {
        if x > 100 {
            return Err(format!("{x} is too big"));
        }
    }
    kept.push(Rc::new(values.len() as u32));
    Ok(*kept[0])
}

fn main() {
    assert_eq!(offsets(&[1, 2]), Ok(2));
    assert_eq!(offsets(&[101]), Err("101 is too big".to_string()));
}
