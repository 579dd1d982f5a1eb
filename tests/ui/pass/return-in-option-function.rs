// `return Some(..)` in a function returning `Option`; `None?` fails the loop.
use failfast::fail_fast;

#[fail_fast(workers = 2)]
fn first_even(numbers: &[Option<u32>]) -> Option<u32> {
    for number in numbers {
        let number = (*number)?;
        if number % 2 == 0 {
            return Some(number);
        }
    }
    Some(0)
}

fn main() {
    assert_eq!(first_even(&[Some(1), Some(4), Some(5)]), Some(4));
    assert_eq!(first_even(&[Some(1), None]), None);
    assert_eq!(first_even(&[Some(1), Some(3)]), Some(0));
}
