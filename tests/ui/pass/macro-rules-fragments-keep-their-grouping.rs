// A function that a `macro_rules!` writes, with `$e:expr` and `$t:ty` fragments, computes
// and compiles as it does without the attribute: `$e * 2` with `$e = 1 + 1` is 4, not
// `1 + 1 * 2`; `$e.rev()` with `$e = 0..3` reverses the range; `&$t` with
// `$t = dyn Fn() + Sync` is a reference to the whole trait object.
use failfast::fail_fast;

macro_rules! doubled {
    ($name:ident, $e:expr) => {
        #[fail_fast(workers = 2)]
        fn $name(items: &[u32]) -> Result<i32, String> {
            let twice = $e * 2;
            for item in items {
                if *item == 9 {
                    return Ok($e * 2 + 1);
                }
            }
            Ok(twice)
        }
    };
}

doubled!(doubled_sum, 1 + 1);

macro_rules! reversed {
    ($name:ident, $e:expr) => {
        #[fail_fast(workers = 2)]
        fn $name() -> Result<Vec<usize>, String> {
            let order = std::sync::Mutex::new(Vec::new());
            for index in $e.rev() {
                order.lock().unwrap().push(index);
            }
            Ok(order.into_inner().unwrap())
        }
    };
}

reversed!(reversed_range, 0..3);

macro_rules! negated {
    ($name:ident, $e:expr, $t:ty) => {
        #[fail_fast(workers = 2)]
        fn $name(items: &[u32], check: &$t) -> Result<i64, String> {
            for item in items {
                check(*item)?;
            }
            Ok(-$e as i64)
        }
    };
}

negated!(negated_difference, 1 - 2, dyn Fn(u32) -> Result<(), String> + Sync);

fn main() {
    assert_eq!(doubled_sum(&[1, 2]), Ok(4));
    assert_eq!(doubled_sum(&[9]), Ok(5));
    let mut order = reversed_range().unwrap();
    order.sort_unstable();
    assert_eq!(order, [0, 1, 2]);
    assert_eq!(negated_difference(&[1], &|_| Ok(())), Ok(1));
}
