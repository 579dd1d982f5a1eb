// A function whose only statement is the user's own `Box::pin(async move { .. })` (as
// `#[async_trait]` writes one) keeps its loop hidden from the function's attribute.
use failfast::fail_fast;
use std::future::Future;
use std::pin::Pin;

fn unit() {}

#[fail_fast(workers = 2)]
fn boxed(items: &[u32]) -> Pin<Box<dyn Future<Output = ()> + '_>> {
    Box::pin(async move {
        let _: () = unit();
        for item in items {
            futures::future::ready(()).await;
            println!("{item}");
        }
    })
}

fn main() {
    let _ = boxed(&[1]);
}
