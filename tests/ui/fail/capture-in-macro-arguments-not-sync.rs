// A value that is not `Sync`, declared outside the loop and used only in the arguments of
// anyhow's macros (`ensure!`, `bail!`): the iterations share it, and that is reported in the
// loop's terms, not as a bound of a closure the user did not write.
use failfast::fail_fast;
use std::rc::Rc;

#[fail_fast(workers = 4)]
fn below(items: &[u32]) -> anyhow::Result<()> {
    let limit = Rc::new(5u32);
    for item in items {
        anyhow::ensure!(*item < *limit, "{item} is too big");
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn below_by_name(items: &[usize], name: Rc<String>) -> anyhow::Result<()> {
    for &item in items {
        if item >= 10 {
            anyhow::bail!("{} is not below {}", item, name.len());
        }
    }
    Ok(())
}

fn main() {
    let _ = below(&[1]);
    let _ = below_by_name(&[1], Rc::new(String::new()));
}
