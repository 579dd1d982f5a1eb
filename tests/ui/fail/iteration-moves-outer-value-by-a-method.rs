use failfast::fail_fast;

// A method that takes `self` (`unwrap`, `expect`, an `into_` conversion), called on a value
// of a written standard type declared outside the loop, moves that value out in every
// iteration that gets there (a sequential loop could not either). Reported at the value, in
// the loop's terms, not as a move out of a closure the user did not write.
#[fail_fast(workers = 2)]
fn names(xs: &[u32], name: Option<String>, title: Result<String, String>) -> Result<(), String> {
    for x in xs {
        let name = name.unwrap();
        let title = title.expect("named");
        println!("{x}: {name} {title}");
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn bytes(xs: &[u32], text: String, words: Vec<String>) -> Result<usize, String> {
    for x in xs {
        let bytes = text.into_bytes();
        let count = words.into_iter().count();
        if bytes.len() + count < *x as usize {
            return Err("short".into());
        }
    }
    Ok(0)
}

#[fail_fast(workers = 2)]
async fn fetch(xs: Vec<u32>, base: Option<String>) -> Result<(), String> {
    for x in xs {
        let base = base.expect("a base url");
        async {}.await;
        println!("{base}/{x}");
    }
    Ok(())
}

fn main() {}
