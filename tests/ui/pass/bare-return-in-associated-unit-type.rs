// `return;` in a function whose return type is an associated type named `Result` that is `()`
// (a visitor's): the return type is not known to be a `Result`, and the loop compiles as the
// sequential one does.
use failfast::fail_fast;

trait Visit {
    type Result;
    fn visit(&self, v: &[u32]) -> Self::Result;
}

struct Printer;

impl Visit for Printer {
    type Result = ();

    #[fail_fast(workers = 2)]
    fn visit(&self, v: &[u32]) -> Self::Result {
        for &x in v {
            if x == 0 {
                return;
            }
            println!("{x}");
        }
    }
}

fn main() {
    Printer.visit(&[1, 0, 2]);
}
