// The runtime API's thread loops send items to pool threads and bring failures and values
// back: a type that is not `Send` is named with where it goes and what to use instead.
use std::error::Error;
use std::rc::Rc;

fn main() -> Result<(), Box<dyn Error>> {
    failfast::try_for_each(vec!["1", "x"], 4, |s| -> Result<(), Box<dyn Error>> {
        let _n: u32 = s.parse()?;
        Ok(())
    })?;
    let _ = failfast::Loop::new(2).try_for_each(vec![Rc::new(1)], |n| {
        if *n > 0 { Ok(()) } else { Err(()) }
    });
    let _ = failfast::try_map(vec![1], 2, |n| Ok::<_, ()>(Rc::new(n)));
    Ok(())
}
