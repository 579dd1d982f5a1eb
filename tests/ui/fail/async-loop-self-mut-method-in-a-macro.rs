// An async loop in a method on `&mut self` lends `self` to its iterations, also in the
// arguments of `println!`: a method that takes `&mut self` called there (every iteration would
// change `self` at once) is refused at `self`, as in the body's own code, with no suggestion
// in the rewrite's terms.
use failfast::fail_fast;
use std::cell::Cell;

struct Actor {
    handled: Cell<u32>,
    calls: u32,
}

impl Actor {
    fn bump(&mut self) -> u32 {
        self.calls += 1;
        self.calls
    }

    fn handle(&self, id: u32) {
        self.handled.set(self.handled.get() + id);
    }

    #[fail_fast(workers = 3)]
    async fn run(&mut self, ids: Vec<u32>) -> Result<u32, String> {
        for id in ids {
            std::future::ready(()).await;
            self.handle(id);
            println!("{}", self.bump());
        }
        Ok(self.handled.get())
    }
}

fn main() {
    let mut actor = Actor { handled: Cell::new(0), calls: 0 };
    let _ = actor.run(vec![1, 2, 3]);
}
