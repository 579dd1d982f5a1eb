// Items and exits whose type is a type parameter the function's own generics do not show (an
// `impl`'s, a trait's `Self`, one behind an alias): rustc's suggestion is the bound to add
// (`T: Send`), never one on the rewrite's traits.
use failfast::fail_fast;

struct Pool<T>(Vec<T>);

impl<T> Pool<T> {
    #[fail_fast(workers = 2)]
    fn check(items: Vec<T>) -> Result<(), String> {
        for item in items {
            let _ = &item;
        }
        Ok(())
    }
}

trait Job: Sized {
    fn go(&self) -> Result<(), String>;

    #[fail_fast(workers = 2)]
    fn run_all(items: Vec<Self>) -> Result<(), String> {
        for item in items {
            item.go()?;
        }
        Ok(())
    }
}

type Res<E> = Result<(), E>;

#[fail_fast(workers = 2)]
fn run<E: From<String>>(xs: &[u32]) -> Res<E> {
    for &x in xs {
        if x == 3 {
            Err(String::from("bad"))?;
        }
    }
    Ok(())
}

fn main() {
    let _ = Pool::<u32>::check(vec![1]);
    let _ = run::<String>(&[1]);
}
