// An `async move` closure whose futures borrow what the closure owns (a "lending" closure): its
// iterations run at once, each borrowing the closure, through the runtime API's `_borrowing`
// forms (generic code's `F: FnMut(T) -> Fut` goes to `try_for_each`: generic-async-helper.rs).
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    use futures::executor::block_on;
    let prefix = String::from("item-");
    let seen = AtomicUsize::new(0);
    let seen_by_the_closure = &seen;
    let label = async move |n: u32| -> Result<(), String> {
        seen_by_the_closure.fetch_add(1, Ordering::Relaxed);
        let name = format!("{prefix}{n}");
        if n > 10 {
            return Err(format!("{name} is too big"));
        }
        Ok(())
    };
    assert_eq!(block_on(failfast::future::try_for_each_borrowing(0..5, 4, label)), Ok(()));
    assert_eq!(seen.load(Ordering::Relaxed), 5);

    let unit = String::from("px");
    let measure = async move |word: &str| -> Result<String, String> { Ok(format!("{}{unit}", word.len())) };
    assert_eq!(
        block_on(failfast::future::try_map_borrowing(["a", "bb"], 2, measure)),
        Ok(vec!["1px".to_string(), "2px".to_string()])
    );
}
