// `enumerate()` over borrowed items that cannot be shared: the pair's `&Rc<String>` is named
// with the loop's own message, not as a part "within `(usize, &Rc<String>)`".
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn lengths(names: &[Rc<String>]) -> Result<(), String> {
    for (i, name) in names.iter().enumerate() {
        println!("{i}: {}", name.len());
    }
    Ok(())
}

fn main() {}
