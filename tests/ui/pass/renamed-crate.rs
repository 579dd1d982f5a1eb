// `crate = path` finds the runtime under another name, as a path or as a string, also a
// `$crate` path in a `macro_rules!` that writes the function, through a loop's `return`.
extern crate failfast as ff;

mod reexported {
    pub use ff::*;
}

#[ff::fail_fast(workers = 2, crate = ff)]
fn as_path(items: &[u32]) -> Result<(), u32> {
    for &item in items {
        if item > 2 {
            Err(item)?;
        }
    }
    Ok(())
}

#[ff::fail_fast(crate = "crate::reexported")]
fn as_string(items: &[u32]) -> Option<()> {
    for &item in items {
        (item < 3).then_some(())?;
    }
    Some(())
}

/// A facade crate's macro, as another crate would call it.
macro_rules! finder {
    ($name:ident) => {
        #[$crate::reexported::fail_fast(workers = 4, crate = $crate::reexported)]
        fn $name(items: Vec<u32>) -> Option<u32> {
            for item in items {
                if item == 3 {
                    return Some(item);
                }
            }
            None
        }
    };
}

finder!(find);

fn main() {
    assert_eq!(find(vec![1, 2, 3]), Some(3));
    assert_eq!(find(vec![1, 2]), None);
    assert_eq!(as_path(&[1, 2]), Ok(()));
    assert_eq!(as_path(&[1, 3]), Err(3));
    assert_eq!(as_string(&[1, 2]), Some(()));
    assert_eq!(as_string(&[1, 3]), None);
}
