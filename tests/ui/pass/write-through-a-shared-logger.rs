// `write!` to a `&mut` of the user's own type, whose `write_fmt` takes `&self` (a logger
// behind a lock): the iterations share it safely, as the sequential loop would.
use failfast::fail_fast;
use std::fmt::Arguments;
use std::sync::Mutex;

pub struct Log(Mutex<String>);

impl Log {
    pub fn write_fmt(&self, args: Arguments<'_>) {
        self.0.lock().unwrap().push_str(&args.to_string());
    }
}

#[fail_fast(workers = 4)]
fn log_all(items: &[u32], log: &mut Log) -> Result<(), String> {
    for x in items {
        write!(log, "{x} ");
    }
    Ok(())
}

fn main() {
    let mut log = Log(Mutex::new(String::new()));
    log_all(&[1, 2, 3], &mut log).unwrap();
    assert_eq!(log.0.into_inner().unwrap().len(), 6);
}
