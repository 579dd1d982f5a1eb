use failfast::fail_fast;
use std::rc::Rc;
use std::sync::Arc;

// Methods that take `self` (`unwrap`, `expect`, an `into_` conversion) on values declared
// outside the loop that they do not move out: a `Copy` value (an `Option<u32>`, an array, a
// shared reference), or a value the call reaches through a `&mut`, a `Box`, an `Rc` or an
// `Arc`, whose `Copy` contents it copies.
#[fail_fast(workers = 2)]
#[allow(clippy::too_many_arguments)]
fn thread_for(
    xs: &[u32],
    limit: Option<u32>,
    shared: &Vec<u32>,
    boxed: Box<Option<u32>>,
    counted: Arc<Option<u32>>,
    slot: &mut Option<u32>,
    weights: [u32; 3],
    parsed: Result<u32, ()>,
) -> Result<u32, String> {
    for &x in xs {
        let total: u32 = shared.into_iter().sum::<u32>() + weights.into_iter().sum::<u32>();
        let bound = limit.unwrap()
            + boxed.unwrap()
            + counted.expect("set")
            + slot.unwrap_or(0)
            + parsed.unwrap();
        if x > bound + total {
            return Err(format!("{x} is over {}", bound + total));
        }
    }
    Ok(0)
}

#[fail_fast(workers = 2)]
async fn async_for(xs: Vec<u32>, first: Rc<Option<u32>>) -> Result<u32, String> {
    for x in xs {
        async {}.await;
        if x > first.unwrap_or(0) + 10 {
            return Err(format!("{x} is too big"));
        }
    }
    Ok(0)
}

fn main() {
    let mut slot = Some(1);
    assert_eq!(
        thread_for(
            &[1, 2],
            Some(3),
            &vec![1],
            Box::new(Some(1)),
            Arc::new(Some(2)),
            &mut slot,
            [1, 2, 3],
            Ok(1),
        ),
        Ok(0)
    );
    assert_eq!(
        thread_for(&[100], Some(3), &vec![1], Box::new(Some(1)), Arc::new(Some(2)), &mut slot, [1, 2, 3], Ok(1)),
        Err("100 is over 15".to_string())
    );
    let result = futures::executor::block_on(async_for(vec![1, 30], Rc::new(Some(2))));
    assert_eq!(result, Err("30 is too big".to_string()));
}
