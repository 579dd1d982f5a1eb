//! A panicking iteration propagates out of the loop's poll at once, with its payload, and the
//! other iterations are dropped first; a panic in the input does the same.
use failfast::fail_fast;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counted<'a>(&'a AtomicUsize);
impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[fail_fast(workers = 4)]
async fn panics_at(
    items: impl Iterator<Item = usize>,
    dropped: &AtomicUsize,
) -> Result<(), String> {
    for item in items {
        let _counted = Counted(dropped);
        if item == 5 {
            std::panic::panic_any(item);
        }
        std::future::pending::<()>().await;
    }
    Ok(())
}

#[test]
fn a_panic_propagates_with_its_payload_and_drops_the_others() {
    let dropped = AtomicUsize::new(0);
    let payload = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(panics_at(2..100, &dropped))
    }))
    .expect_err("the loop panics");
    assert_eq!(payload.downcast_ref::<usize>(), Some(&5));
    // Items 2, 3 and 4 pend forever beside item 5: they are dropped, and so is item 5's guard,
    // as its panic unwinds.
    assert_eq!(dropped.load(Ordering::SeqCst), 4);
}

#[fail_fast(workers = 4)]
async fn hold<'a>(items: impl Iterator<Item = Counted<'a>>) -> Result<(), String> {
    for item in items {
        std::future::pending::<()>().await;
        drop(item);
    }
    Ok(())
}

#[test]
fn a_panic_in_the_input_propagates_too() {
    let dropped = AtomicUsize::new(0);
    let items = (0..100).map(|i| {
        if i == 2 {
            panic!("input broke")
        } else {
            Counted(&dropped)
        }
    });
    let payload = std::panic::catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(hold(items))
    }))
    .expect_err("the loop panics");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"input broke"));
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        2,
        "the 2 items in flight were dropped"
    );
}
