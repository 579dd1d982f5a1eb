// A head written as a block, which ends the function early on one value: the parallel loop
// gets no warning about its braces, as the sequential loop's scrutinee gets none (thread and
// async loops). On one line: rustc's lint leaves braces over several lines alone.
use failfast::fail_fast;

#[fail_fast(workers = 3)]
fn first_seven(numbers: &mut std::ops::Range<u32>) -> Result<u32, String> {
    while let Some(n) = { match numbers.next() { Some(7) => return Ok(7), other => other } } {
        if n == 100 {
            return Ok(100);
        }
    }
    Ok(0)
}

#[fail_fast(workers = 3)]
async fn first_seven_async(numbers: &mut std::ops::Range<u32>) -> Result<u32, String> {
    while let Some(n) = { match numbers.next() { Some(7) => return Ok(7), other => other } } {
        std::future::ready(()).await;
        if n == 100 {
            return Ok(100);
        }
    }
    Ok(0)
}

fn main() {
    assert_eq!(first_seven(&mut (0..10)), Ok(7));
    assert_eq!(first_seven(&mut (0..5)), Ok(0));
    let found = futures::executor::block_on(first_seven_async(&mut (0..10)));
    assert_eq!(found, Ok(7));
}
