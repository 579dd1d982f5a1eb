// A trait object is `Sync` when its trait says so, as a bound (`dyn Check + Sync`) or as a
// supertrait (`trait Check: Send + Sync`): the iterations may share it.
use failfast::fail_fast;

trait Check: Send + Sync {
    fn run(&self, x: u32) -> Result<(), String>;
}

trait Log {
    fn log(&self, x: u32);
}

struct Even;

impl Check for Even {
    fn run(&self, x: u32) -> Result<(), String> {
        if x % 2 == 0 { Ok(()) } else { Err(format!("{x} is odd")) }
    }
}

impl Log for Even {
    fn log(&self, _: u32) {}
}

#[fail_fast(workers = 4)]
fn run_all(items: &[u32], check: &dyn Check, log: &(dyn Log + Sync)) -> Result<(), String> {
    for &x in items {
        log.log(x);
        check.run(x)?;
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn run_each(checks: &[Box<dyn Check>]) -> Result<(), String> {
    for check in checks {
        check.run(2)?;
    }
    Ok(())
}

fn main() {
    assert_eq!(run_all(&[2, 4, 5], &Even, &Even), Err("5 is odd".to_string()));
    assert_eq!(run_each(&[Box::new(Even), Box::new(Even)]), Ok(()));
}
