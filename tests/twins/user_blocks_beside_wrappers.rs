// A block the user wrote keeps hiding its loop from the function's attribute, also where it
// looks like one another attribute writes: `Box::pin(async move { let _: () = ..; .. })`
// (as `#[async_trait]` writes), and `(move || { .. })()` under `#[tracing::instrument(err)]`
// (as instrument writes at the top of the body). The loop written in the body is the one
// picked.
use failfast::fail_fast;
use std::future::Future;
use std::pin::Pin;

fn unit() {}

#[fail_fast(workers = 2)]
fn boxed(items: &[u32]) -> Result<u32, String> {
    for item in items {
        if *item == 99 {
            return Err(format!("item {item}"));
        }
    }
    let printed: Pin<Box<dyn Future<Output = u32> + '_>> = Box::pin(async move {
        let _: () = unit();
        let mut sum = 0;
        for item in items {
            sum += item;
        }
        sum
    });
    Ok(futures::executor::block_on(printed))
}

#[tracing::instrument(skip_all, err)]
#[fail_fast(workers = 2)]
fn called(items: &[u32]) -> Result<u32, String> {
    for item in items {
        if *item == 99 {
            return Err(format!("item {item}"));
        }
    }
    let total = (move || {
        let mut sum = 0;
        for item in items {
            sum += item;
        }
        sum
    })();
    Ok(total)
}

fn main() {
    assert_eq!(boxed(&[1, 2]), Ok(3));
    assert!(boxed(&[1, 99]).is_err());
    assert_eq!(called(&[1, 2]), Ok(3));
    assert!(called(&[99]).is_err());
}
