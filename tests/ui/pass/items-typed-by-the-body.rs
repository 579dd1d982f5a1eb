// Items whose type only the loop's body gives (a `Default::default()` or a `.parse()` in the
// input's macro, settled by a typed `let` in the body) compile as in the sequential loop:
// the rewrite's checks of the items, which would need the type before the loop, leave them to
// rustc.
use failfast::fail_fast;

#[fail_fast(workers = 4)]
fn pairs() -> Result<usize, String> {
    let pairs = vec![(1u8, Default::default()), (2, Default::default())];
    for (number, name) in pairs.clone() {
        let _: (u8, String) = (number, name);
    }
    Ok(pairs.len())
}

#[fail_fast(workers = 4)]
fn repeated() -> Result<(), String> {
    let names = vec![Default::default(); 3];
    for name in names {
        let name: String = name;
        if !name.is_empty() {
            return Err(name);
        }
    }
    Ok(())
}

#[fail_fast(workers = 4)]
fn parsed(text: &str) -> Result<u64, String> {
    let numbers = vec![text.parse().map_err(|_| text.to_string())?];
    for number in numbers.clone() {
        let number: u64 = number;
        if number > 100 {
            return Err(format!("{number} is too big"));
        }
    }
    Ok(numbers[0])
}

fn main() {
    assert_eq!(pairs(), Ok(2));
    assert_eq!(repeated(), Ok(()));
    assert_eq!(parsed("7"), Ok(7));
    assert_eq!(parsed("700"), Err("700 is too big".to_string()));
}
