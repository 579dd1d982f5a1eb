// Generic code passing on "a function returning a future": through the runtime API and
// through the macro.
use failfast::fail_fast;
use std::future::Future;

async fn check_all<F, Fut>(items: Vec<u32>, check: F) -> Result<(), String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    failfast::future::try_for_each(items, 4, check).await
}

async fn sizes<F, Fut, E>(items: &[&str], size: F) -> Result<Vec<usize>, E>
where
    F: FnMut(&str) -> Fut,
    Fut: Future<Output = Result<usize, E>>,
{
    failfast::future::try_map(items.iter().copied(), 2, size).await
}

#[fail_fast(workers = 4)]
async fn check_all_with_the_macro<F, Fut>(items: Vec<u32>, check: F) -> Result<(), String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    for item in items {
        check(item).await?;
    }
    Ok(())
}

async fn even(n: u32) -> Result<(), String> {
    if n % 2 == 0 {
        Ok(())
    } else {
        Err(format!("{n} is odd"))
    }
}

fn main() {
    use futures::executor::block_on;
    assert_eq!(block_on(check_all(vec![2, 4], even)), Ok(()));
    assert_eq!(block_on(check_all(vec![2, 3], even)), Err("3 is odd".into()));
    assert_eq!(
        block_on(sizes(&["a", "bb"], |s: &str| {
            let n = s.len();
            async move { Ok::<_, ()>(n) }
        })),
        Ok(vec![1, 2])
    );
    assert_eq!(block_on(check_all_with_the_macro(vec![2, 4], even)), Ok(()));
    assert_eq!(
        block_on(check_all_with_the_macro(vec![1, 2], |n| even(n + 1))),
        Err("3 is odd".into())
    );
}
