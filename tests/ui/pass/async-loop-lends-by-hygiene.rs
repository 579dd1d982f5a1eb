// A function written by a `macro_rules!` may hold two locals of one spelling, the macro's own
// and its caller's, which rustc tells apart by hygiene and the attribute's macro cannot: an
// async loop lends neither to its iterations (it lends only a name bound once in the
// function), and each use still reaches its own local.
use failfast::fail_fast;
use std::cell::Cell;

macro_rules! counting {
    ($n:ident) => {
        #[fail_fast(workers = 2)]
        async fn run(items: Vec<u32>) -> Result<(u32, u32), String> {
            let n = Cell::new(100u32);
            let $n = Cell::new(0u32);
            for i in items {
                n.set(n.get() + i);
                $n.set($n.get() + 1);
                std::future::ready(()).await;
            }
            Ok((n.get(), $n.get()))
        }
    };
}

counting!(n);

fn main() {
    let got = futures::executor::block_on(run(vec![1, 2, 3]));
    assert_eq!(got, Ok((106, 3)));
}
