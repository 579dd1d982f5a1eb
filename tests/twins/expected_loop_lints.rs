// A user's `#[expect]` of a clippy lint about the loop's own shape, on the function (before or
// after the attribute) or on the loop: the sequential loop fulfils it, and the parallel one,
// which clippy does not see as a loop, gets no "unfulfilled" warning for it.
use failfast::fail_fast;

#[derive(Debug)]
struct TooBig;

fn check(x: u32) -> Result<(), TooBig> {
    if x > 99 {
        Err(TooBig)
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 4)]
#[expect(clippy::needless_range_loop)]
fn by_index(v: &[u32]) -> Result<(), TooBig> {
    for i in 0..v.len() {
        check(v[i])?;
    }
    Ok(())
}

#[expect(clippy::while_let_on_iterator, reason = "the README's form")]
#[fail_fast(workers = 4)]
fn drain(v: &[u32]) -> Result<(), TooBig> {
    let mut it = v.iter();
    while let Some(x) = it.next() {
        check(*x)?;
    }
    Ok(())
}

#[fail_fast]
fn marked(v: &[u32]) -> Result<(), TooBig> {
    #[expect(clippy::needless_range_loop)]
    #[fail_fast(workers = 2)]
    for i in 0..v.len() {
        check(v[i])?;
    }
    Ok(())
}

fn check_str(x: &str) -> Result<(), TooBig> {
    if x.len() > 99 {
        Err(TooBig)
    } else {
        Ok(())
    }
}

#[fail_fast(workers = 2)]
#[expect(clippy::char_indices_as_byte_indices)]
fn suffixes(s: &str) -> Result<(), TooBig> {
    for (i, _c) in s.chars().enumerate() {
        check_str(&s[i..])?;
    }
    Ok(())
}

fn main() {
    assert!(suffixes("abc").is_ok());
    assert!(by_index(&[1, 2]).is_ok());
    assert!(drain(&[1, 200]).is_err());
    assert!(marked(&[3]).is_ok());
}
