// A pattern that borrows its item mutably, written with a form that can also refuse one (an
// enum's only variant), in a crate that forbids the lints a rewrite could raise.
#![forbid(irrefutable_let_patterns, unused_mut, unused_variables)]
use failfast::fail_fast;

enum Name {
    Given(String),
}

#[fail_fast(workers = 2)]
fn longest(names: Vec<Name>) -> Result<usize, String> {
    for Name::Given(ref mut name) in names {
        name.push('!');
        if name.len() > 100 {
            return Err(name.clone());
        }
    }
    Ok(0)
}

#[fail_fast(workers = 2)]
async fn longest_async(names: Vec<Name>) -> Result<usize, String> {
    for Name::Given(ref mut name) in names {
        std::future::ready(()).await;
        name.push('!');
        if name.len() > 100 {
            return Err(name.clone());
        }
    }
    Ok(0)
}

fn main() {
    assert_eq!(longest(vec![Name::Given("a".to_string())]), Ok(0));
    let names = vec![Name::Given("b".repeat(100))];
    assert_eq!(futures::executor::block_on(longest_async(names)), Err(format!("{}!", "b".repeat(100))));
}
