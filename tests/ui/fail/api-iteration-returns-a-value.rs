// An iteration of `try_for_each` that returns a value, `Ok(n)`: the error says that
// `Result<(), E>` is expected, and that `try_map` collects values.
fn main() {
    let _ = failfast::try_for_each(0..8, 4, |n: u32| Ok::<u32, String>(n * 2));
    let _ = futures::executor::block_on(failfast::future::try_for_each(0..8, 4, async |n: u32| {
        Ok::<u32, String>(n)
    }));
}
