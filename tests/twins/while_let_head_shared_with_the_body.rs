// A `while let` loop's body may use what its head uses, when the head only reads it: a
// feed whose `next` takes `&self`; or what the head takes from mutably, used before the loop
// only. Only a body's use of what the head takes through `&mut` (`it.next()` on a `let mut`,
// `&mut pos`) is refused.
use failfast::fail_fast;
use std::sync::Mutex;

struct Feed {
    items: Mutex<Vec<u32>>,
}

impl Feed {
    fn next(&self) -> Option<u32> {
        self.items.lock().unwrap().pop()
    }

    fn left(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

#[fail_fast(workers = 2)]
fn drain(feed: &Feed) -> Result<(), String> {
    while let Some(x) = feed.next() {
        if x > 100 {
            return Err(format!("{x} with {} left", feed.left()));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn numbered(items: Vec<u32>) -> Result<(), String> {
    let mut it = items.into_iter();
    let total = it.len();
    while let Some(x) = it.next() {
        if x > 100 {
            return Err(format!("{x} of {total}"));
        }
    }
    Ok(())
}

fn main() {
    let feed = Feed {
        items: Mutex::new(vec![1, 2, 3]),
    };
    assert!(drain(&feed).is_ok());
    assert!(numbered(vec![1, 2]).is_ok());
}
