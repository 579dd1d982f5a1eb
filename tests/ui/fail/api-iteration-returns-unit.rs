// The runtime API's closure must say whether the iteration failed.
fn main() {
    let _ = failfast::try_for_each(0..8, 4, |n: u32| {
        println!("{n}");
    });
    let _ = futures::executor::block_on(failfast::future::try_for_each(0..8, 4, async |n: u32| n > 3));
}
