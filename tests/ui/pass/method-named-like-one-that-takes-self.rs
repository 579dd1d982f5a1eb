use failfast::fail_fast;
use std::borrow::Cow;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex, RwLock};

// Methods named like ones that take `self` (`unwrap`, `expect`, an `into_` conversion), on
// values declared outside the loop that they do not move out: a `Copy` value (an
// `Option<u32>`, an array, a shared reference); a value the call reaches through a `&mut`, a
// `Box`, an `Rc`, an `Arc`, a lock's guard or a `Cow`, whose `Copy` contents it copies; a
// `PathBuf` or a type of the user's own whose `into_iter` is `&T`'s; and a type of the
// user's own whose `unwrap`, `expect` and `into_len` take `&self`.
struct Limit(String);

impl Limit {
    fn unwrap(&self) -> usize {
        self.0.len()
    }
    fn expect(&self, _message: &str) -> usize {
        1
    }
    fn into_len(&self) -> usize {
        2
    }
}

struct Graph(Vec<u32>);

impl<'a> IntoIterator for &'a Graph {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[fail_fast(workers = 2)]
#[allow(clippy::too_many_arguments)]
fn copied(
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
fn through_guards(
    xs: &[u32],
    guarded: &Mutex<Option<u32>>,
    read: &RwLock<Option<u32>>,
    written: Cow<'_, Option<u32>>,
) -> Result<(), String> {
    let guard = guarded.lock().unwrap();
    let reader = read.read().unwrap();
    for &x in xs {
        if x > guard.unwrap() + reader.unwrap_or(0) + written.unwrap() {
            return Err(format!("{x} is too big"));
        }
    }
    Ok(())
}

#[fail_fast(workers = 2)]
fn borrowed_by_name(xs: &[u32], limit: Limit, root: PathBuf, graph: Graph) -> Result<(), String> {
    let copy = PathBuf::from("/a/b/c");
    for &x in xs {
        let depth = root.into_iter().count() + copy.into_iter().count();
        let bound = limit.unwrap() + limit.expect("set") + limit.into_len() + depth;
        if x as usize > bound || graph.into_iter().any(|&n| n == x) {
            return Err(format!("{x} is out"));
        }
    }
    Ok(())
}

// A type of the user's own named like a standard one, and a variable of the same name with
// a standard type elsewhere in the function (here after the loop): not the loop's.
mod api {
    pub struct Result<T>(pub Vec<T>);

    impl<T: Copy> Result<T> {
        pub fn unwrap(&self) -> T {
            self.0[0]
        }
    }
}

#[fail_fast(workers = 2)]
fn named_alike(
    xs: &[u32],
    first: api::Result<u32>,
    limit: Box<Option<u32>>,
) -> std::result::Result<usize, String> {
    for &x in xs {
        if x > first.unwrap() + limit.unwrap() {
            return Err(format!("{x} is too big"));
        }
    }
    let limit: Option<String> = Some("a".into());
    Ok(limit.map_or(0, |text| text.len()))
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

/// A user's extension trait, whose `into_` method borrows.
trait IntoKey {
    fn into_key(&self) -> usize;
}

impl IntoKey for String {
    fn into_key(&self) -> usize {
        self.len()
    }
}

#[fail_fast(workers = 4)]
fn extension_method(xs: &[usize], name: String) -> Result<usize, String> {
    for x in xs {
        let key = name.into_key();
        if *x > key {
            return Err(format!("{x} is over {key}"));
        }
    }
    Ok(name.into_key())
}

fn main() {
    assert_eq!(extension_method(&[1, 2], "abc".into()), Ok(3));
    assert_eq!(
        extension_method(&[1, 4], "abc".into()),
        Err("4 is over 3".to_string())
    );
    let mut slot = Some(1);
    let vec = vec![1];
    let copied_with = |xs: &[u32], slot: &mut Option<u32>| {
        copied(xs, Some(3), &vec, Box::new(Some(1)), Arc::new(Some(2)), slot, [1, 2, 3], Ok(1))
    };
    assert_eq!(copied_with(&[1, 2], &mut slot), Ok(0));
    assert_eq!(copied_with(&[100], &mut slot), Err("100 is over 15".to_string()));
    let (guarded, read) = (Mutex::new(Some(3)), RwLock::new(Some(1)));
    assert_eq!(through_guards(&[1, 5], &guarded, &read, Cow::Owned(Some(1))), Ok(()));
    assert_eq!(
        through_guards(&[1, 6], &guarded, &read, Cow::Owned(Some(1))),
        Err("6 is too big".to_string())
    );
    let limit = || Limit("ab".into());
    let root = || PathBuf::from("/a/b");
    assert_eq!(borrowed_by_name(&[1], limit(), root(), Graph(vec![2])), Ok(()));
    assert_eq!(
        borrowed_by_name(&[2], limit(), root(), Graph(vec![2])),
        Err("2 is out".to_string())
    );
    let first = || api::Result(vec![1]);
    assert_eq!(named_alike(&[1, 2], first(), Box::new(Some(1))), Ok(1));
    assert_eq!(
        named_alike(&[3], first(), Box::new(Some(1))),
        Err("3 is too big".to_string())
    );
    let result = futures::executor::block_on(async_for(vec![1, 30], Rc::new(Some(2))));
    assert_eq!(result, Err("30 is too big".to_string()));
}
